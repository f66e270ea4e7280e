"""The demo's mixed-methods layer: the published findings, the design, and links from the
demo themes to the findings with outcomes and meta-inferences."""
from __future__ import annotations

from pathlib import Path

from themecoder import store
from themecoder.core.project import Project, new_id
from themecoder.core.quant import load_findings
from themecoder.core.survey_findings import DESIGN_KEY, insert_stored, validated
from themecoder.core.survey_links import theme_paths
from themecoder.store.db import now

DEMO_DESIGN = "explanatory-sequential"

# (theme path, finding id, outcome, meta-inference). Finding ids are those of
# corpora/survey/findings.yaml.
F_RSA_TOTAL = "04603586-8c33-44b1-94bf-7b64d7db2e5d"
F_LEADER = "11d77326-22c3-4ba7-8fd1-224f0d7d3b7e"
F_ROLE = "b465af17-0527-4f7d-b676-eca8e911bca7"
F_DIVERSITY = "09a964c8-1a01-40dd-b93c-5c92cba9e006"
F_INVOLVEMENT = "8ed6905b-73f8-4c6e-b29a-0425a4004116"

DEMO_LINKS: tuple[tuple[str, str, str, str], ...] = (
    ("Recovery som personlig prosess", F_RSA_TOTAL, "confirmation",
     "De ansatte skårer høyt på recovery-orientering, og informantene beskriver recovery "
     "på samme måte: som brukerens egen prosess, båret av håp og egne mål, der hjelperen går "
     "ved siden av. Begge datakildene peker mot en tydelig recovery-orientert verdiforankring "
     "i tjenestene."),
    ("Tradisjonelle tankemønstre › Regler, rammer og tid", F_RSA_TOTAL, "discordance",
     "Den høye RSA-R-skåren står i kontrast til intervjuene, der informantene forteller at "
     "vedtak, regler og tidspress styrer hjelpen, og at «vi sier én ting og gjør en annen». "
     "Skalaen kan fange opp verdiene de ansatte slutter seg til, mer enn hva rammene tillater "
     "i praksis; spriket mellom holdning og handling er selv et funn."),
    ("Faglig utvikling", F_LEADER, "expansion",
     "Intervjuene utdyper hva støtte fra leder betyr: at lederen går foran og etterspør det "
     "nye i hverdagen, og at fagdager og veiledning følges opp. Forskjellen mellom ansatte "
     "med og uten brukererfaring må likevel leses med forsiktighet: t-verdien stemmer ikke "
     "med gjennomsnittene, og med Welchs test (ulike varianser) er forskjellen ikke "
     "signifikant."),
    ("Recovery som personlig prosess › Brukermedvirkning", F_LEADER, "expansion",
     "Informantene beskriver erfaringskonsulenter som troverdige, men én frykter at de brukes "
     "som «alibi». Det gir en mulig forklaring på at ansatte med egen brukererfaring opplever "
     "mindre støtte fra leder: de verdsettes i festtalene, men følges kanskje ikke opp som "
     "fagpersoner."),
    ("Tradisjonelle tankemønstre", F_ROLE, "expansion",
     "Erfarne ansatte beskrives som fornærmet av nye metoder, som de opplever som kritikk av "
     "det de har gjort før. Når recovery-tenkningen endrer hva som forventes av dem, kan det "
     "forklare hvorfor ansatte med mer enn åtte års erfaring opplever rolleforventningene som "
     "mindre klare. Merk at fortegnet på t i kilden ikke stemmer med gjennomsnittene."),
    ("Faglig utvikling › Å være ny", F_ROLE, "discordance",
     "Den nyansatte informanten forteller at hun er usikker på egen rolle og ikke vet hva som "
     "er regelen, mens undersøkelsen viser klarere rolleforventninger blant ansatte med kort "
     "erfaring. Spørreskjemaet kan måle formelle forventninger, mens intervjuet får fram de "
     "uskrevne reglene; funnet bygger dessuten på én informant."),
    ("Tradisjonelle tankemønstre › Regler, rammer og tid", F_DIVERSITY, "expansion",
     "Ansatte i daglig kontakt med brukerne vurderer mangfoldet i tilbudet lavere, og "
     "intervjuene viser hvorfor det kan være slik: de som står nærmest brukerne, merker best "
     "hvordan vedtak og regler snevrer inn hva som kan tilbys. Forskjellen er likevel ikke "
     "signifikant når p regnes ut på nytt (p = ,053), så dette er en hypotese, ikke en "
     "bekreftelse."),
    ("Relasjoner og sosial inkludering", F_INVOLVEMENT, "discordance",
     "Informantene beskriver relasjonen til brukeren som selve arbeidet, og mer involvering "
     "som noe som krever nærhet. Undersøkelsen finner derimot at mer involvering henger "
     "sammen med mindre sosial samhandling. En mulig forklaring fra intervjuene er at de "
     "ansatte blir brukernes nettverk og får mindre rom for fellesskapet med kolleger; "
     "sammenhengen er svak (r = −,32) og bør undersøkes videre."),
)


def import_demo_survey(project: Project, survey_dir: str | Path) -> None:
    """The demo's mixed-methods layer: the published findings (findings.yaml), the design,
    and links from the demo themes to the findings with outcomes and meta-inferences.

    Called by :func:`themecoder.core.demo.build_demo`. A link whose theme is missing (the
    demo codebook changed) is skipped rather than failing the whole demo.
    """
    survey_dir = Path(survey_dir)
    path = survey_dir / "findings.yaml"
    if not path.exists():
        return
    findings = load_findings(path)
    paths = theme_paths(project.db)
    by_path = {p.casefold(): tid for tid, p in paths.items()}
    ids = {f.id for f in findings}
    stamp = now()
    with project.action("import-findings", f"demo survey: {len(findings)} findings, design and links",
                        {"origin": path.name, "count": len(findings)}) as conn:
        for f in findings:
            f = validated(f, where=path.name)
            if store.survey.finding_values(conn, f.id) is None:
                insert_stored(conn, f, stamp)
        store.project.set_setting(conn, DESIGN_KEY, DEMO_DESIGN)
        linked = {(r["theme_id"], r["finding_id"]) for r in store.survey.links(project.db)}
        for theme_path, finding_id, outcome, text in DEMO_LINKS:
            theme_id = by_path.get(theme_path.casefold())
            if theme_id is None or finding_id not in ids or (theme_id, finding_id) in linked:
                continue
            store.survey.insert_link(conn, new_id(), theme_id, finding_id, outcome, text, stamp)
            linked.add((theme_id, finding_id))
