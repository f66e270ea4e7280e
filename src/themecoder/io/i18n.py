"""The one string table and the typography for every export, in Norwegian bokmål ("nb") and
English ("en"): quote tables, codebook, review summary, mixed-methods report, file names.

Other modules may reuse it: ``t("table", "nb")`` gives ``"Tabell"``; a missing language falls
back to English, a missing key is a bug (KeyError), so typos show up in tests.

Typography:

* nb quotes inline in «…» (with ‹…› inside, not used here), en in “…”;
* nb decimal comma and a no-break space as thousands separator (``12 345,6``), en ``12,345.6``;
* the default ellipsis that marks omitted text in a shortened quote: ``[…]`` (nb, one
  character U+2026 in brackets, Språkrådet) and ``[...]`` (en, APA 7 uses three periods).
"""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

LANGS = ("nb", "en")
NBSP = "\u00a0"

STRINGS: dict[str, dict[str, str]] = {
    # file names of the exports (exports/<project>-<name>.<format>)
    "file.quotes": {"nb": "sitater", "en": "quotes"},
    "file.codebook": {"nb": "kodebok", "en": "codebook"},
    "file.qdpx": {"nb": "refi", "en": "refi"},
    "file.report": {"nb": "rapport", "en": "report"},
    "file.review-summary": {"nb": "veiledning", "en": "review-summary"},
    "file.review": {"nb": "review", "en": "review"},
    # quote tables
    "table": {"nb": "Tabell", "en": "Table"},
    "theme": {"nb": "Tema", "en": "Theme"},
    "subtheme": {"nb": "Subtema", "en": "Subtheme"},
    "quote": {"nb": "Sitat", "en": "Quote"},
    "participant": {"nb": "Informant", "en": "Participant"},
    "code": {"nb": "Kode", "en": "Code"},
    "description": {"nb": "Beskrivelse", "en": "Description"},
    "document": {"nb": "Dokument", "en": "Document"},
    "place": {"nb": "Sted", "en": "Place"},
    "codings": {"nb": "Kodinger", "en": "Codings"},
    "participants": {"nb": "Informanter", "en": "Participants"},
    "quotes_heading": {"nb": "Sitattabeller: {project}", "en": "Quote Tables: {project}"},
    "quotes_title": {"nb": "Sitater i temaet {theme}", "en": "Quotes for the Theme {theme}"},
    "turn": {"nb": "taletur {n}", "en": "turn {n}"},
    "paragraph": {"nb": "avsnitt {n}", "en": "paragraph {n}"},
    "note": {"nb": "Merknad.", "en": "Note."},
    "note_place": {
        "nb": "Informanten oppgis med pseudonym og sted i transkripsjonen: taletur (eller tidskode), "
              "og dokument når det ikke har informantens navn.",
        "en": "Participants are given by pseudonym and place in the transcript: turn (or timestamp), "
              "and the document when it is not named after the participant.",
    },
    "note_ellipsis": {
        "nb": "{ellipsis} markerer utelatt tekst.",
        "en": "{ellipsis} marks omitted text.",
    },
    "note_block": {
        "nb": "Sitater på 40 ord eller mer står som blokksitat, uten anførselstegn.",
        "en": "Quotes of 40 words or more are set as block quotes, without quotation marks.",
    },
    "no_quotes": {"nb": "Ingen sitater.", "en": "No quotes."},
    "no_theme": {"nb": "(uten tema)", "en": "(no theme)"},
    "appendix": {"nb": "Vedlegg: Sitater etter tema og kode", "en": "Appendix: Quotes by Theme and Code"},
    "appendix_intro": {
        "nb": "Alle kodede sitater, ordnet etter tema, kode, informant og sted i transkripsjonen.",
        "en": "All coded quotes, ordered by theme, code, participant and place in the transcript.",
    },
    # codebook
    "codebook": {"nb": "Kodebok", "en": "Codebook"},
    "codebook_title": {"nb": "Kodebok for {project}", "en": "Codebook for {project}"},
    "codebook_note": {
        "nb": "Kodinger = antall kodede tekstutdrag; informanter = antall informanter med minst én koding.",
        "en": "Codings = number of coded passages; participants = number of participants with at least one coding.",
    },
    # csv column names
    "csv_theme": {"nb": "tema", "en": "theme"},
    "csv_subtheme": {"nb": "subtema", "en": "subtheme"},
    "csv_code": {"nb": "kode", "en": "code"},
    "csv_quote": {"nb": "sitat", "en": "quote"},
    "csv_shortened": {"nb": "forkortet_sitat", "en": "shortened_quote"},
    "csv_participant": {"nb": "informant", "en": "participant"},
    "csv_document": {"nb": "dokument", "en": "document"},
    "csv_place": {"nb": "sted", "en": "place"},
    "csv_start": {"nb": "start", "en": "start"},
    "csv_end": {"nb": "slutt", "en": "end"},
    "csv_coding_id": {"nb": "koding_id", "en": "coding_id"},
    "csv_description": {"nb": "beskrivelse", "en": "description"},
    "csv_codings": {"nb": "kodinger", "en": "codings"},
    "csv_participants": {"nb": "informanter", "en": "participants"},
    # review summary (io/review_summary.py)
    "review.title": {"nb": "Veiledningsgrunnlag: {project}", "en": "Review summary: {project}"},
    "review.generated": {"nb": "Laget {date}.", "en": "Generated {date}."},
    "review.reviewers": {"nb": "Veileder(e): {names}.", "en": "Reviewer(s): {names}."},
    "review.progress": {"nb": "Status: {approved} godkjent, {revision} må revideres, {proposed} foreslått; "
                       "{open} åpne kommentartråder.",
                 "en": "Status: {approved} approved, {revision} need revision, {proposed} proposed; "
                       "{open} open comment threads."},
    "review.status": {"nb": "Status", "en": "Status"},
    "review.theme_status": {"nb": "Status for temaet: {status}", "en": "Theme status: {status}"},
    "review.key_quote": {"nb": "Gullsitat", "en": "Key quote"},
    "review.condensate": {"nb": "Kondensat", "en": "Condensate"},
    "review.analytic_text": {"nb": "Analytisk tekst", "en": "Analytic text"},
    "review.comments": {"nb": "Kommentarer", "en": "Comments"},
    "review.code": {"nb": "Kode", "en": "Code"},
    "review.codings": {"nb": "Kodinger", "en": "Codings"},
    "review.participants": {"nb": "Informanter", "en": "Informants"},
    "review.no_codes": {"nb": "Ingen koder i temaet.", "en": "No codes in this theme."},
    "review.no_themes": {"nb": "Prosjektet har ingen temaer ennå.", "en": "The project has no themes yet."},
    "review.unthemed": {"nb": "Koder uten tema", "en": "Codes in no theme"},
    "review.orphans": {"nb": "Vurderinger uten mål", "en": "Orphaned review items"},
    "review.orphans_intro": {"nb": "Disse temaene eller koblingene ble vurdert, men finnes ikke lenger i prosjektet.",
                      "en": "These themes or mappings were reviewed but no longer exist in the project."},
    "review.changes": {"nb": "Endringer siden forrige veiledning", "en": "Changes since the last review"},
    "review.no_changes": {"nb": "Ingen endringer.", "en": "No changes."},
    "review.resolved": {"nb": "løst", "en": "resolved"},
    "review.target": {"nb": "Gjelder", "en": "Target"},
    "review.proposed": {"nb": "foreslått", "en": "proposed"},
    "review.approved": {"nb": "godkjent", "en": "approved"},
    "review.needs-revision": {"nb": "må revideres", "en": "needs revision"},
    # mixed-methods report (io/report*.py)
    "report.title": {"nb": "Integrasjon av kvalitative og kvantitative funn",
              "en": "Integration of Qualitative and Quantitative Findings"},
    "report.project": {"nb": "Prosjekt: {name}", "en": "Project: {name}"},
    "report.design": {"nb": "Design", "en": "Design"},
    "report.joint": {"nb": "Felles fremstilling (joint display)", "en": "Joint Display"},
    "report.joint_title": {"nb": "Felles fremstilling av temaer og kvantitative funn",
                    "en": "Joint Display of Themes and Quantitative Findings"},
    "report.joint_title_stats": {"nb": "Felles fremstilling: kvantitative funn og temaene som belyser dem",
                          "en": "Joint Display: Quantitative Findings and the Themes That Speak to Them"},
    "report.figure": {"nb": "Figur", "en": "Figure"},
    "report.coverage": {"nb": "Temaer per informant", "en": "Themes per Participant"},
    "report.coverage_title": {"nb": "Antall kodinger per tema og informant",
                       "en": "Number of Codings per Theme and Participant"},
    "report.coverage_note": {
        "nb": "Hver celle viser antall kodinger for temaet (med subtemaer) i informantens intervju; "
              "mørkere felt betyr flere kodinger, – betyr ingen. n = antall informanter med minst én koding.",
        "en": "Each cell gives the number of codings of the theme (subthemes included) in the participant's "
              "interview; darker means more codings, – means none. n = participants with at least one coding."},
    "report.coverage_note_compact": {
        "nb": "For hvert tema: hvor mange av informantene som har minst én koding i temaet (n / N, med "
              "subtemaer; mørkere felt betyr en større andel), og antall kodinger.",
        "en": "For each theme: how many of the participants have at least one coding of the theme (n / N, "
              "subthemes included; darker means a larger share), and the number of codings."},
    "report.codings_col": {"nb": "Kodinger", "en": "Codings"},
    "report.coverage_title_compact": {"nb": "Andel informanter og antall kodinger per tema",
                               "en": "Share of Participants and Number of Codings per Theme"},
    "report.themes": {"nb": "Temaene", "en": "The Themes"},
    "report.findings": {"nb": "Kvantitative funn", "en": "Quantitative Findings"},
    "report.findings_title": {"nb": "Kvantitative funn fra spørreundersøkelsen",
                       "en": "Quantitative Findings From the Survey"},
    "report.check": {"nb": "Konsistenssjekk av rapporterte statistikker",
              "en": "Consistency Check of the Reported Statistics"},
    "report.check_title": {"nb": "Konsistenssjekk: p-verdier regnet ut på nytt",
                    "en": "Consistency Check: p Values Recomputed"},
    "report.check_intro": {
        "nb": "P-verdiene er regnet ut på nytt fra testobservatoren og frihetsgradene (og fra M, SD og n der "
              "de er oppgitt), i tråd med statcheck (Nuijten mfl., 2016), med hensyn til avrundingen i kilden.",
        "en": "The p values were recomputed from the test statistic and degrees of freedom (and from M, SD "
              "and n where given), in the spirit of statcheck (Nuijten et al., 2016), allowing for the "
              "rounding in the source."},
    "report.refs": {"nb": "Referanser", "en": "References"},
    "report.theme_col": {"nb": "Tema", "en": "Theme"},
    "report.qual_col": {"nb": "Kvalitative funn", "en": "Qualitative findings"},
    "report.quant_col": {"nb": "Kvantitative funn", "en": "Quantitative findings"},
    "report.outcome_col": {"nb": "Utfall", "en": "Outcome"},
    "report.meta_col": {"nb": "Metainferens", "en": "Meta-inference"},
    "report.themes_col": {"nb": "Temaer", "en": "Themes"},
    "report.counts": {"nb": "{p} informanter, {c} kodinger", "en": "{p} participants, {c} codings"},
    "report.counts_one": {"nb": "{p} informant, {c} kodinger", "en": "{p} participant, {c} codings"},
    "report.none": {"nb": "Ingen koblet kvantitativt funn.", "en": "No linked quantitative finding."},
    "report.no_quotes": {"nb": "Ingen sitater.", "en": "No quotes."},
    "report.no_findings": {"nb": "Prosjektet har ingen kvantitative funn ennå.",
                    "en": "The project has no quantitative findings yet."},
    "report.no_links": {"nb": "Ingen temaer er koblet til kvantitative funn ennå.",
                 "en": "No theme is linked to a quantitative finding yet."},
    "report.linked": {"nb": "Koblede kvantitative funn", "en": "Linked quantitative findings"},
    "report.outcome_label": {"nb": "Utfall", "en": "Outcome"},
    "report.joint_note": {
        "nb": "Utfall etter Fetters mfl. (2013): bekreftelse = resultatene peker samme vei; utvidelse = "
              "den ene datakilden utdyper eller forklarer den andre; uoverensstemmelse = resultatene "
              "spriker. Sitatene er ordrette fra transkripsjonene (temaets nøkkelsitat først, deretter "
              "ett per informant). – = ingen koblet kvantitativt funn.",
        "en": "Outcomes after Fetters et al. (2013): confirmation = the results point the same way; "
              "expansion = one strand elaborates on or explains the other; discordance = the results "
              "diverge. Quotes are verbatim from the transcripts (the theme's key quote first, then one "
              "per participant). – = no linked quantitative finding."},
    "report.warn_note": {
        "nb": "⚠ n ≤ 5 = cellen bygger på fem eller færre informanter eller deltakere og bør leses med forsiktighet.",
        "en": "⚠ n ≤ 5 = the cell rests on five or fewer participants and should be read with caution."},
    "report.findings_note": {
        "nb": "F = funnets nummer i prosjektet. p-verdier står slik de er rapportert i kilden, ellers med "
              "tre desimaler.",
        "en": "F = the finding's number in the project. p values are given as reported in the source, "
              "otherwise to three decimals."},
    "report.f_col": {"nb": "F", "en": "F"},
    "report.instrument_col": {"nb": "Instrument og skala", "en": "Instrument and scale"},
    "report.group_col": {"nb": "Gruppe", "en": "Group"},
    "report.test_col": {"nb": "Test", "en": "Test"},
    "report.stat_col": {"nb": "Testobservator", "en": "Statistic"},
    "report.effect_col": {"nb": "Effekt", "en": "Effect"},
    "report.status_col": {"nb": "Resultat", "en": "Result"},
    "report.note_col": {"nb": "Merknad", "en": "Note"},
    "report.design_none": {"nb": "Designet er ikke registrert i prosjektet.",
                    "en": "The design is not recorded in the project."},
    "report.integration": {
        "nb": "Integrasjonen vises i en felles fremstilling (joint display; Fetters mfl., 2013; Guetterman "
              "mfl., 2015), der hvert tema stilles side om side med de kvantitative funnene det belyser, "
              "sammen med utfallet av sammenstillingen og metainferensen: det de to datakildene sier sammen.",
        "en": "Integration is shown in a joint display (Fetters et al., 2013; Guetterman et al., 2015) that "
              "sets each theme side by side with the quantitative findings it speaks to, together with the "
              "outcome of the comparison and the meta-inference: what the two strands say together."},
    "report.material": {
        "nb": "Materialet består av {docs} intervjuer med {people} informanter, {themes} temaer og {findings} "
              "kvantitative funn; {links} koblinger mellom temaer og funn.",
        "en": "The material consists of {docs} interviews with {people} participants, {themes} themes and "
              "{findings} quantitative findings, with {links} links between themes and findings."},
    # study designs in the report
    "design.convergent": {
        "nb": "Studien har et konvergent design: spørreundersøkelsen og intervjuene ble gjennomført "
              "parallelt og analysert hver for seg, og resultatene ble deretter sammenstilt for å se "
              "hvor de bekrefter, utvider eller motsier hverandre (Creswell & Plano Clark, 2018).",
        "en": "The study has a convergent design: the survey and the interviews were conducted in "
              "parallel and analysed separately, and the results were then brought together to see where "
              "they confirm, expand on or contradict each other (Creswell & Plano Clark, 2018)."},
    "design.explanatory-sequential": {
        "nb": "Studien har et forklarende sekvensielt design: først ble spørreundersøkelsen gjennomført "
              "og analysert, og deretter ble intervjuene brukt til å forklare og utdype de kvantitative "
              "resultatene (Creswell & Plano Clark, 2018).",
        "en": "The study has an explanatory sequential design: the survey was conducted and analysed "
              "first, and the interviews were then used to explain and elaborate on the quantitative "
              "results (Creswell & Plano Clark, 2018)."},
    "design.exploratory-sequential": {
        "nb": "Studien har et utforskende sekvensielt design: først ble intervjuene gjennomført og "
              "analysert, og de kvalitative funnene ble deretter brukt til å utvikle eller velge det "
              "som ble målt og prøvd ut kvantitativt (Creswell & Plano Clark, 2018).",
        "en": "The study has an exploratory sequential design: the interviews were conducted and analysed "
              "first, and the qualitative findings then shaped what was measured and tested "
              "quantitatively (Creswell & Plano Clark, 2018)."},
    # outcomes of a theme-finding link
    "outcome.confirmation": {"nb": "Bekreftelse", "en": "Confirmation"},
    "outcome.expansion": {"nb": "Utvidelse", "en": "Expansion"},
    "outcome.discordance": {"nb": "Uoverensstemmelse", "en": "Discordance"},
    # statistical tests
    "test.t-test": {"nb": "t-test", "en": "Student's t test"},
    "test.welch": {"nb": "Welchs t-test", "en": "Welch's t test"},
    "test.mann-whitney": {"nb": "Mann–Whitney U", "en": "Mann–Whitney U"},
    "test.pearson": {"nb": "Pearsons r", "en": "Pearson's r"},
    "test.spearman": {"nb": "Spearmans ρ", "en": "Spearman's ρ"},
    "test.descriptive": {"nb": "Deskriptiv", "en": "Descriptive"},
    "test.cronbach-alpha": {"nb": "Cronbachs α", "en": "Cronbach's α"},
    # consistency-check verdicts
    "check.ok": {"nb": "I samsvar", "en": "Consistent"},
    "check.not-checked": {"nb": "Ikke sjekket (ingen p-verdi)", "en": "Not checked (no p value)"},
    "check.inconsistent": {"nb": "Inkonsistent", "en": "Inconsistent"},
    "check.decision-error": {"nb": "Beslutningsfeil", "en": "Decision error"},
    # --- agreement (issue 12)
    "file.agreement": {"nb": "samsvar", "en": "agreement"},
    "file.disagreements": {"nb": "uenigheter", "en": "disagreements"},
    "agreement.title": {"nb": "Samsvar mellom kodere: {project}", "en": "Intercoder Agreement: {project}"},
    "agreement.caption": {"nb": "Samsvar mellom kodere per kode og samlet",
                          "en": "Intercoder Agreement per Code and Overall"},
    "agreement.units": {"nb": "Enheter", "en": "Units"},
    "agreement.percent": {"nb": "Samsvar", "en": "Agreement"},
    "agreement.kappa": {"nb": "κ", "en": "κ"},
    "agreement.alpha": {"nb": "α [95 % KI]", "en": "α [95% CI]"},
    "agreement.segments": {"nb": "Segmenter", "en": "Segments"},
    "agreement.overall": {"nb": "Samlet", "en": "Overall"},
    "agreement.undefined": {"nb": "udefinert", "en": "undefined"},
    "agreement.unit_sentence": {"nb": "setninger", "en": "sentences"},
    "agreement.unit_turn": {"nb": "taleturer", "en": "speaker turns"},
    "agreement.unit_character": {"nb": "tegn", "en": "characters"},
    "agreement.method_cohen": {"nb": "Cohens κ", "en": "Cohen's κ"},
    "agreement.method_fleiss": {"nb": "Fleiss' κ", "en": "Fleiss' κ"},
    "agreement.method": {
        "nb": "{n_coders} kodere ({coders}) kodet {docs} dokumenter uavhengig av hverandre med {codes} koder. "
              "Samsvaret ble beregnet per kode og samlet med {unit} som analyseenhet ({units} enheter "
              "samlet, hver vurdert som kodet eller ikke kodet med koden), som prosentvis samsvar, {kappa} og "
              "Krippendorffs α (nominal) med 95 % konfidensintervall fra {samples} bootstrap-utvalg. I tillegg "
              "ble segmentsamsvar beregnet: et kodet segment regnes som likt når den andre koderens segment "
              "overlapper det med minst {overlap}.",
        "en": "{n_coders} coders ({coders}) independently coded {docs} documents with {codes} codes. Agreement "
              "was computed per code and overall with {unit} as the unit of analysis ({units} units in "
              "total, each rated as coded or not coded with the code), as percent agreement, {kappa} and "
              "Krippendorff's α (nominal) with a 95% confidence interval from {samples} bootstrap samples. "
              "Segment agreement was also computed: a coded segment counts as matched when the other "
              "coder's segment overlaps it by at least {overlap}."},
    "agreement.note": {
        "nb": "Samsvar = andel enheter der koderne er enige. Segmenter = andel kodede segmenter med samsvar.",
        "en": "Agreement = share of units on which the coders agree. Segments = share of coded segments "
              "that match."},
    "agreement.note_undefined": {
        "nb": "Koeffisienten er udefinert der alle enheter har samme verdi hos alle kodere ({codes}).",
        "en": "A coefficient is undefined where every unit has the same value for every coder ({codes})."},
    "agreement.disagreements": {"nb": "Uenigheter mellom kodere", "en": "Disagreements between coders"},
    "agreement.col_0": {"nb": "Kode", "en": "Code"},
    "agreement.col_1": {"nb": "Dokument", "en": "Document"},
    "agreement.col_2": {"nb": "Start", "en": "Start"},
    "agreement.col_3": {"nb": "Slutt", "en": "End"},
    "agreement.col_4": {"nb": "Tekst", "en": "Text"},
    "agreement.col_5": {"nb": "Kodet av", "en": "Coded by"},
    "agreement.col_6": {"nb": "Ikke kodet av", "en": "Not coded by"},
    "agreement.col_7": {"nb": "Avgjørelse", "en": "Decision"},
    # --- review pack (issue 11)
    "file.review-pack": {"nb": "veiledningspakke", "en": "review-pack"},
    "pack.title": {"nb": "Veiledning: {project}", "en": "Review: {project}"},
    "pack.intro": {"nb": "Gå gjennom temaene og kodene, sett en status og skriv kommentarer. Arbeidet ditt blir "
                         "lagret i denne nettleseren mens du holder på. Trykk «Lagre vurdering» når du er ferdig, "
                         "og send fila til studenten.",
                   "en": "Go through the themes and codes, set a status and write comments. Your work is kept in "
                         "this browser while you work. Press “Save review” when you are done and send the file "
                         "to the student."},
    "pack.generated": {"nb": "Laget {date}.", "en": "Generated {date}."},
    "pack.reviewer": {"nb": "Ditt navn", "en": "Your name"},
    "pack.save": {"nb": "Lagre vurdering", "en": "Save review"},
    "pack.saved": {"nb": "Lagret {file}. Send fila til studenten.", "en": "Saved {file}. Send the file to the student."},
    "pack.need_name": {"nb": "Skriv navnet ditt før du lagrer.", "en": "Type your name before saving."},
    "pack.kept": {"nb": "Arbeidet ditt er lagret i denne nettleseren.", "en": "Your work is kept in this browser."},
    "pack.no_storage": {"nb": "Nettleseren lagrer ikke arbeidet ditt: lagre vurderingen før du lukker siden.",
                        "en": "This browser does not keep your work: save the review before you close the page."},
    "pack.left": {"nb": "{left} av {total} gjenstår", "en": "{left} of {total} left"},
    "pack.filters": {"nb": "Filtre", "en": "Filters"},
    "pack.open_only": {"nb": "Bare det som gjenstår", "en": "Open items only"},
    "pack.changed_only": {"nb": "Bare det som er endret", "en": "Changed items only"},
    "pack.theme_filter": {"nb": "Tema", "en": "Theme"},
    "pack.all_themes": {"nb": "Alle temaer", "en": "All themes"},
    "pack.keys": {"nb": "Tastatur: j/k eller piltastene flytter mellom punktene, a godkjenner, r ber om revisjon, "
                        "c skriver en kommentar.",
                  "en": "Keys: j/k or the arrow keys move between items, a approves, r asks for revision, "
                        "c writes a comment."},
    "pack.skip": {"nb": "Hopp til temaene", "en": "Skip to the themes"},
    "pack.themes": {"nb": "Temaer", "en": "Themes"},
    "pack.status": {"nb": "Status", "en": "Status"},
    "pack.proposed": {"nb": "Foreslått", "en": "Proposed"},
    "pack.approved": {"nb": "Godkjent", "en": "Approved"},
    "pack.needs-revision": {"nb": "Må revideres", "en": "Needs revision"},
    "pack.comment": {"nb": "Ny kommentar", "en": "New comment"},
    "pack.add_comment": {"nb": "Legg til kommentar", "en": "Add comment"},
    "pack.reply": {"nb": "Svar", "en": "Reply"},
    "pack.reply_label": {"nb": "Svar på tråden", "en": "Reply to the thread"},
    "pack.threads": {"nb": "Kommentarer", "en": "Comments"},
    "pack.resolved": {"nb": "løst", "en": "resolved"},
    "pack.new": {"nb": "ny", "en": "new"},
    "pack.delete": {"nb": "Slett", "en": "Delete"},
    "pack.delete_label": {"nb": "Slett den nye kommentaren", "en": "Delete the new comment"},
    "pack.quotes": {"nb": "Sitater", "en": "Quotes"},
    "pack.more": {"nb": "Vis {n} sitater til", "en": "Show {n} more quotes"},
    "pack.key_quote": {"nb": "Gullsitat", "en": "Key quote"},
    "pack.description": {"nb": "Beskrivelse", "en": "Description"},
    "pack.analytic_text": {"nb": "Analytisk tekst", "en": "Analytic text"},
    "pack.condensate": {"nb": "Kondensat", "en": "Condensate"},
    "pack.theme": {"nb": "Tema", "en": "Theme"},
    "pack.code": {"nb": "Kode", "en": "Code"},
    "pack.code_in": {"nb": "i temaet «{theme}»", "en": "in the theme “{theme}”"},
    "pack.no_codes": {"nb": "Ingen koder i temaet.", "en": "No codes in this theme."},
    "pack.changed": {"nb": "Endret siden forrige veiledning", "en": "Changed since the last review"},
    "pack.changes": {"nb": "Endringer siden forrige veiledning", "en": "Changes since the last review"},
    "pack.changes_since": {"nb": "Siden veiledningen til {who} ({date}):", "en": "Since the review by {who} ({date}):"},
    "pack.no_review": {"nb": "Ingen veiledning ennå: alt er nytt.", "en": "No review yet: everything is new."},
    "pack.no_changes": {"nb": "Ingen endringer.", "en": "No changes."},
    "pack.nothing": {"nb": "Ingenting å vise med disse filtrene.", "en": "Nothing to show with these filters."},
    "pack.turn": {"nb": "taletur {n}", "en": "turn {n}"},
    "pack.paragraph": {"nb": "avsnitt {n}", "en": "paragraph {n}"},
    "pack.noscript": {"nb": "Denne siden trenger JavaScript. Åpne den i en vanlig nettleser (Edge, Chrome, Firefox "
                            "eller Safari).",
                      "en": "This page needs JavaScript. Open it in an ordinary browser (Edge, Chrome, Firefox or "
                            "Safari)."},
    # --- review changes in nb/en (issue 11)
    # One line per change since the last review (core.review_changes records, rendered by
    # io.review_change_text). Names arrive bare and are put in « » here, in both languages.
    "change.code-added": {"nb": "koden «{name}» lagt til", "en": "code «{name}» added"},
    "change.code-deleted": {"nb": "koden «{name}» slettet", "en": "code «{name}» deleted"},
    "change.code-renamed": {"nb": "koden «{old}» omdøpt til «{new}»", "en": "code «{old}» renamed «{new}»"},
    "change.code-merged": {"nb": "{merged} slått sammen med «{into}»", "en": "{merged} merged into «{into}»"},
    "change.code-split": {"nb": "{n} kodinger av «{code}» skilt ut i «{new}»",
                          "en": "{n} codings of «{code}» split off into «{new}»"},
    "change.code-moved": {"nb": "«{code}» flyttet fra {froms} til {tos}", "en": "«{code}» moved from {froms} to {tos}"},
    "change.code-mapped": {"nb": "«{code}» lagt i {tos}", "en": "«{code}» put in {tos}"},
    "change.code-unmapped": {"nb": "«{code}» tatt ut av {froms}", "en": "«{code}» taken out of {froms}"},
    "change.theme-added": {"nb": "temaet «{name}» lagt til", "en": "theme «{name}» added"},
    "change.theme-added-under": {"nb": "temaet «{name}» lagt til under {parent}",
                                 "en": "theme «{name}» added under {parent}"},
    "change.theme-deleted": {"nb": "temaet «{name}» slettet", "en": "theme «{name}» deleted"},
    "change.theme-renamed": {"nb": "temaet «{old}» omdøpt til «{new}»", "en": "theme «{old}» renamed «{new}»"},
    "change.theme-moved": {"nb": "temaet «{name}» flyttet fra {froms} til {tos}",
                           "en": "theme «{name}» moved from {froms} to {tos}"},
    "change.theme-edited": {"nb": "temaet «{name}»: {fields} endret", "en": "theme «{name}»: {fields} changed"},
    "change.codings-added.one": {"nb": "{n} koding lagt til", "en": "{n} coding added"},
    "change.codings-added.many": {"nb": "{n} kodinger lagt til", "en": "{n} codings added"},
    "change.codings-removed.one": {"nb": "{n} koding fjernet", "en": "{n} coding removed"},
    "change.codings-removed.many": {"nb": "{n} kodinger fjernet", "en": "{n} codings removed"},
    "change.by": {"nb": "{text} av {who}", "en": "{text} by {who}"},
    "change.top_level": {"nb": "toppnivået", "en": "the top level"},
    "change.unknown": {"nb": "?", "en": "?"},
    "change.field.description": {"nb": "beskrivelse", "en": "description"},
    "change.field.analytic_text": {"nb": "analytisk tekst", "en": "analytic text"},
    "change.field.condensate": {"nb": "kondensat", "en": "condensate"},
    "change.field.key_coding_id": {"nb": "gullsitat", "en": "key coding id"},
    "change.since": {"nb": "siden veiledningen til {who} ({time}):", "en": "since the review by {who} ({time}):"},
    "change.no_review": {"nb": "ingen veiledning ennå: alt er nytt", "en": "no review yet: everything is new"},
    "change.nothing": {"nb": "ingenting er endret", "en": "nothing changed"},
    # --- mixed methods (issue 13)
    # Consistency-check notes (core.statcheck.Msg): *x* is italic, {x} a value the report formats.
    "statcheck.gives": {"nb": "{stat} gir *p* = {p}", "en": "{stat} gives *p* = {p}"},
    "statcheck.with_n": {"nb": "med *n* = {n1} + {n2}", "en": "with *n* = {n1} + {n2}"},
    "statcheck.ties": {"nb": "bånd kan bare gi lavere *p*", "en": "ties would only lower *p*"},
    "statcheck.summary": {"nb": "fra *M*, *SD* og *n*: {kind} {stat}, *p* = {p}",
                          "en": "from *M*, *SD*, *n*: {kind} {stat}, *p* = {p}"},
    "statcheck.welch_depends": {
        "nb": "Welchs *t* (uten antakelse om like varianser; *SD* {sd1} og {sd2}) gir {stat}, *p* = {p}: "
              "konklusjonen avhenger av antakelsen om like varianser",
        "en": "Welch's *t* (no equal variances assumed; *SD*s {sd1} and {sd2}) gives {stat}, *p* = {p}: "
              "the conclusion depends on assuming equal variances"},
    "statcheck.one_tailed": {"nb": "ensidig test: tosidig *p* halvert, *p* = {p}",
                             "en": "one-tailed: the two-tailed *p* halved, *p* = {p}"},
    "statcheck.p_mismatch": {"nb": "rapportert *p* {rep} stemmer ikke med utregnet *p* = {p}",
                             "en": "reported *p* {rep} does not match the recomputed *p* = {p}"},
    "statcheck.p_summary": {"nb": "rapportert *p* {rep} stemmer ikke med *p* = {p} fra *M*, *SD* og *n*",
                            "en": "reported *p* {rep} does not match *p* = {p} from *M*, *SD*, *n*"},
    "statcheck.p_zero": {
        "nb": "*p* er rapportert som {rep}: en *p*-verdi er aldri 0 (statcheck regner det som feil); "
              "skriv *p* < ,001",
        "en": "*p* reported as {rep}: a *p* value is never 0 (statcheck counts it as an error); "
              "write *p* < .001"},
    "statcheck.decision": {
        "nb": "beslutningsfeil: rapportert *p* {rep} leses som {rep_sig} på nivå {alpha}, men utregnet "
              "*p* = {p} er {rec_sig}",
        "en": "decision error: reported *p* {rep} reads as {rep_sig} at {alpha}, but the recomputed "
              "*p* = {p} is {rec_sig}"},
    "statcheck.significant": {"nb": "signifikant", "en": "significant"},
    "statcheck.not_significant": {"nb": "ikke signifikant", "en": "not significant"},
    "statcheck.df_not_positive": {"nb": "*df* = {df} er ikke positiv", "en": "*df* = {df} is not positive"},
    "statcheck.df_r": {"nb": "*df* = {df}, men *n* − 2 = {n2}", "en": "*df* = {df} but *n* - 2 = {n2}"},
    "statcheck.r_impossible": {"nb": "en korrelasjon på {stat} er umulig (|*r*| > 1)",
                               "en": "a correlation of {stat} is impossible (|*r*| > 1)"},
    "statcheck.u_outside": {"nb": "{stat} ligger utenfor 0–{max} for grupper på {n1} og {n2}",
                            "en": "{stat} is outside 0–{max} for groups of {n1} and {n2}"},
    "statcheck.sd_both_zero": {"nb": "begge *SD* er 0, så *t* er ikke definert",
                               "en": "both *SD*s are 0, so *t* is not defined"},
    "statcheck.df_welch": {"nb": "*df* = {df}, men Welchs *df* ut fra *SD* og *n* er {expected}",
                           "en": "*df* = {df} but Welch's *df* from the *SD*s and *n* is {expected}"},
    "statcheck.df_student": {"nb": "*df* = {df}, men *n*₁ + *n*₂ − 2 = {expected} ({n1} + {n2} − 2)",
                             "en": "*df* = {df} but *n*₁ + *n*₂ - 2 = {expected} ({n1} + {n2} - 2)"},
    "statcheck.t_sign": {
        "nb": "fortegnet til {stat} er motsatt av gjennomsnittene: {g1} (*M* = {m1}) og {g2} "
              "(*M* = {m2}) gir i denne rekkefølgen *t* = {t}",
        "en": "the sign of {stat} is opposite to the means: {g1} (*M* = {m1}) and {g2} (*M* = {m2}) "
              "in this order give *t* = {t}"},
    "statcheck.t_summary": {
        "nb": "{stat} stemmer ikke med *M*, *SD* og *n*: {kind}s *t* ut fra dem ligger mellom {lo} og "
              "{hi} (ved manglende data kan analysens *n* være mindre enn gruppens *n*, og da endres *t*)",
        "en": "{stat} does not match *M*, *SD* and *n*: {kind}'s *t* from them lies between {lo} and "
              "{hi} (with missing data the analysis *n* may be smaller than the group *n* printed, "
              "which changes *t*)"},
    "statcheck.alpha_impossible": {"nb": "α = {alpha} er umulig (α kan ikke være over 1)",
                                   "en": "α = {alpha} is impossible (α cannot exceed 1)"},
    "statcheck.sd_negative": {"nb": "*SD* for {group} er negativ", "en": "*SD* of {group} is negative"},
    "statcheck.alpha_negative": {
        "nb": "α = {alpha} er negativ: trolig er et ledd negativt formulert uten å være reversert i "
              "skåringsnøkkelen",
        "en": "α = {alpha} is negative: an item is probably reverse-worded but not declared reverse "
              "in the scoring key"},
    "statcheck.item_total_negative": {
        "nb": "negativ korrigert ledd–total-korrelasjon for {items}: negativt formulert uten å være "
              "reversert?",
        "en": "negative corrected item-total correlation for {items}: reverse-worded and not "
              "declared reverse?"},
    "statcheck.problem.p": {"nb": "*p* = {value} i kilden er umulig (*p* ligger mellom 0 og 1)",
                            "en": "*p* = {value} in the source is impossible (*p* lies between 0 and 1)"},
    "statcheck.problem.sd": {"nb": "*SD* = {value} for gruppe {group} i kilden er umulig (*SD* er aldri negativ)",
                             "en": "*SD* = {value} of group {group} in the source is impossible "
                                   "(an *SD* is never negative)"},
    "statcheck.problem.small_group": {
        "nb": "{test} ble ikke regnet ut: gruppen {group} har {n} svar (minst 2 trengs)",
        "en": "{test} not computed: group {group} has {n} answers (at least 2 are needed)"},
    "statcheck.problem.not_computed": {"nb": "ikke regnet ut: {reason}", "en": "not computed: {reason}"},
    "statcheck.problem.text": {"nb": "{text}", "en": "{text}"},
    "statcheck.no_p_value": {"nb": "ingen *p*-verdi å regne ut på nytt", "en": "no *p* value to recompute"},
    "statcheck.no_reported_p": {"nb": "ingen rapportert *p* å sammenligne med",
                                "en": "no reported *p* to compare with"},
    # the marker on a flagged finding, wherever it is shown
    "flag.inconsistent": {"nb": "⚑ Inkonsistent", "en": "⚑ Inconsistent"},
    "flag.decision-error": {"nb": "⚑ Beslutningsfeil", "en": "⚑ Decision error"},
    "flag.warning": {"nb": "⚑ Advarsel", "en": "⚑ Warning"},
    "flag.note": {"nb": "⚑ = funnet er flagget av konsistenssjekken; grunnen står ved siden av.",
                  "en": "⚑ = the finding is flagged by the consistency check; the reason is given beside it."},
    "check.warning": {"nb": "Advarsel", "en": "Warning"},
    "report.u_note": {"nb": "*U* for {group}", "en": "*U* of {group}"},
    # --- findings check (issue 13 follow-up)
    # `findings check`: the verdict per finding, the closing count; a one-tailed finding's marker
    "findings_check.status.ok": {"nb": "ok", "en": "ok"},
    "findings_check.status.not-checked": {"nb": "–", "en": "-"},
    "findings_check.status.inconsistent": {"nb": "INKONSISTENT", "en": "FLAG"},
    "findings_check.status.decision-error": {"nb": "BESLUTNINGSFEIL", "en": "DECISION"},
    "findings_check.status.warning": {"nb": "ADVARSEL", "en": "WARN"},
    "findings_check.findings_one": {"nb": "{n} funn", "en": "{n} finding"},
    "findings_check.findings_many": {"nb": "{n} funn", "en": "{n} findings"},
    "findings_check.summary": {
        "nb": "{findings}: {ok} i samsvar, {flagged} flagget ({decision} med beslutningsfeil), "
              "{unchecked} uten p-verdi å sjekke",
        "en": "{findings}: {ok} consistent, {flagged} flagged ({decision} with a decision error), "
              "{unchecked} without a p value to check"},
    "findings_check.alpha": {"nb": "signifikansnivå α = {alpha}", "en": "significance level α = {alpha}"},
    "finding.tails.1": {"nb": "ensidig", "en": "one-tailed"},
    "finding.tails.2": {"nb": "tosidig", "en": "two-tailed"},
}

QUOTES = {"nb": ("«", "»"), "en": ("\u201c", "\u201d")}
ELLIPSIS = {"nb": "[…]", "en": "[...]"}
# Excel reads a CSV with the list separator of the system's locale: ";" in Norway.
CSV_DELIMITER = {"nb": ";", "en": ","}


def check_lang(lang: str) -> str:
    if lang not in LANGS:
        from themecoder.errors import UserError

        raise UserError(f"unknown language {lang!r}; use nb or en")
    return lang


def t(key: str, lang: str, **kwargs: object) -> str:
    """The string for `key` in `lang` (English when that language lacks it); a missing key is
    a bug and raises KeyError."""
    entry = STRINGS[key]
    text = entry.get(lang) or entry["en"]
    return text.format(**kwargs) if kwargs else text


def t_or(key: str, lang: str, default: str) -> str:
    """Like `t`, but `default` for a key the table does not know (e.g. a test it has no name for)."""
    return t(key, lang) if key in STRINGS else default


def quote_marks(lang: str) -> tuple[str, str]:
    return QUOTES.get(lang, QUOTES["en"])


def default_ellipsis(lang: str) -> str:
    return ELLIPSIS.get(lang, ELLIPSIS["en"])


def format_int(n: int, lang: str) -> str:
    """12345 -> ``12 345`` (nb, no-break space) or ``12,345`` (en)."""
    text = f"{n:,}"
    return text.replace(",", NBSP) if lang == "nb" else text


def format_decimal(x: float, lang: str, decimals: int = 1) -> str:
    """Rounded half away from zero; nb ``1 234,5`` with decimal comma, en ``1,234.5``."""
    q = Decimal(repr(float(x))).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    text = f"{q:,.{decimals}f}"
    if lang == "nb":
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", NBSP)
        if text.startswith("-"):
            text = "\u2212" + text[1:]
    return text


def format_percent(fraction: float, lang: str, decimals: int = 0) -> str:
    """0.953 -> ``95 %`` (nb, no-break space before %) or ``95%`` (en)."""
    number = format_decimal(fraction * 100, lang, decimals)
    return f"{number}{NBSP}%" if lang == "nb" else f"{number}%"
