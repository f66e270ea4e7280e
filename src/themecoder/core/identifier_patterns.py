"""The identifier detector's patterns: regular expressions (compiled once, at import), word
lists, the cue look-behinds, the candidate record and small text helpers."""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass

# spaCy nb (NorNE) labels -> kinds. PROD, EVT, DRV and MISC are not identifiers as such.
ENTITY_KINDS: dict[str, str] = {
    "PER": "person", "PERSON": "person",
    "LOC": "place", "GPE_LOC": "place", "GPE": "place", "FAC": "place",
    "ORG": "organisation", "GPE_ORG": "organisation",
}


# --------------------------------------------------------------------------------------
# Regular expressions (compiled once, at import)
# --------------------------------------------------------------------------------------
_UP = "A-ZÆØÅÄÖÜÉ"
_LO = "a-zæøåäöüéèóáñçšžčćđłńśźżąęőű"
_WORD_RE = re.compile(r"[^\W\d_]+(?:['’\-][^\W\d_]+)*")
_ANYTOKEN_RE = re.compile(r"\w+")

# A speaker label: optional timestamp, one to three capitalised words or numbers, colon.
_TS = r"(?:[\[(]\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?[\])]|\d{1,2}:\d{2}:\d{2}(?:[.,]\d{1,3})?)"
_LABEL_RE = re.compile(
    rf"^[ \t]*(?:(?P<ts>{_TS})[ \t]*)?"
    rf"(?P<label>[{_UP}0-9][\w.'’\-]{{0,24}}(?:[ \t][{_UP}0-9][\w.'’\-]{{0,24}}){{0,2}})[ \t]*:(?=[ \t]|$)",
    re.MULTILINE,
)
_TIMESTAMP_RE = re.compile(_TS)
# Placeholders and transcriber's notes: [kommune], [navn], [ler], [00:12:31], <navn>, {navn},
# (ler), (pause), (utydelig). Notes in round brackets must be lower-case words only, so that
# "(f. 12.11.1979)" or "(Kari)" are still read.
_PLACEHOLDER_RE = re.compile(r"\[[^\[\]\n]{0,60}\]|<[^<>\n]{1,40}>|\{[^{}\n]{1,40}\}"
                             r"|\([a-zæøå][a-zæøå .,!?…\-]{0,29}\)")

_ABBREV = frozenset("""st dr f nr ca kl bl.a f.eks jf pga mht dvs evt ev iht ift mv tlf fnr adr ref
hhv vs prof ass adm dir avd pr vedr inkl ekskl ang jfr sml tidl ca o.l gt vn pb mob""".split())
_SENT_END_RE = re.compile(r"[.!?…:;]+[\"'»”’)\]]*\s+")
_OPEN_QUOTE_RE = re.compile(r"[«\"“„]\s*(?=[" + _UP + "])")

# ---- numbers and contact details
_PHONE_RE = re.compile(
    r"(?<![\w+])(?P<cc>(?:\+|00)\s?47[\s.\-]?)?"
    r"(?P<num>[2-9]\d{7}|[2-9]\d(?:[ .\-]\d{2}){3}|[2-9]\d{2}[ .\-]\d{2}[ .\-]\d{3}|[2-9]\d{3} \d{4})"
    r"(?![\w]|[.,]\d|[ \-]\d)"
)
_NOT_PHONE_AFTER_RE = re.compile(r"\s*(?:kr\b|kroner|,-|nok\b|%|prosent|km\b|meter|kilo|timer|år\b)",
                                 re.IGNORECASE)
_FNR_RE = re.compile(r"(?<![\d+])(\d{6})[ .\-]?(\d{5})(?!\d)")
_FNR_CUE_RE = re.compile(r"(?:fødselsnummer|fødselsnr|personnummer|personnr|f\.?nr|d-nummer|d-nr|"
                         r"h-nummer|personal ?number)\w*[\s.:]*(?:er|var|mitt|hans|hennes)?\W*$",
                         re.IGNORECASE)
_PERSONNR_RE = re.compile(r"\bpersonnummer(?:et)?(?:\s+(?:mitt|hans|hennes|er|var))*[\s:]+(\d{5})(?!\d)",
                          re.IGNORECASE)
_ORGNR_RE = re.compile(r"(?<![\d+])([89]\d{2})[ .]?(\d{3})[ .]?(\d{3})(?![\d])")
_EMAIL_RE = re.compile(r"(?<![\w.+-])[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)*\.[a-zA-Z]{2,}\b")
_TLDS = "no|com|org|net|se|dk|fi|is|io|eu|info|biz|nu|uk|de|app|blog|me|tv|edu"
_URL_RE = re.compile(
    r"(?:\b(?:https?://|www\.)[^\s<>\"«»]+)"
    rf"|(?<![@\w.\-])(?:[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?\.)+(?:{_TLDS})\b(?:/[^\s<>\"«»]*)?",
    re.IGNORECASE,
)
_GENERIC_DOMAINS = frozenset("""nav.no helsenorge.no finn.no vg.no nrk.no db.no aftenposten.no
regjeringen.no ssb.no udir.no fhi.no helsedirektoratet.no lovdata.no altinn.no skatteetaten.no
google.com google.no facebook.com instagram.com youtube.com wikipedia.org snl.no tiktok.com
x.com twitter.com vipps.no digdir.no norge.no""".split())
_VEHICLE_RE = re.compile(r"(?<![\w\-])(?P<l>[A-HJ-NPR-Z]{2})[ \-]?(?P<n>[1-9]\d{3,4})(?![\w]|[.,]\d)")
_VEHICLE_NOT = frozenset("NR KR TF TL PC CV HR TV AS SA DA BA EU FN UK US MS ME KL CM MM KM KG DB AD BC".split())
_VEHICLE_CUE_RE = re.compile(r"(?:bil|skilt|reg|kjennemerke|motorsykkel|mc|traktor|tilhenger|henger|moped|"
                             r"varebil|lastebil|buss)\w*\W+(?:\w+\W+){0,3}$", re.IGNORECASE)

# ---- dates and ages
_MONTHS = ("januar|februar|mars|april|mai|juni|juli|august|september|oktober|november|desember|"
           "jan|feb|mar|apr|jun|jul|aug|sep|sept|okt|nov|des")
_MONTH_NO = {m: i + 1 for i, m in enumerate(
    "januar februar mars april mai juni juli august september oktober november desember".split())}
_MONTH_NO.update({"jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8,
                  "sep": 9, "sept": 9, "okt": 10, "nov": 11, "des": 12})
_TEXT_DATE_RE = re.compile(
    rf"(?<![\w.,])(?P<d>[0-3]?\d)\.?\s+(?P<m>{_MONTHS})\.?(?:\s+(?P<y>(?:19|20)\d{{2}}|['’]\d{{2}}))?(?![\w])",
    re.IGNORECASE,
)
_NUM_DATE_RE = re.compile(
    r"(?<![\w.,/])(?P<d>0?[1-9]|[12]\d|3[01])(?P<s>[./])(?P<m>0?[1-9]|1[0-2])(?P=s)"
    r"(?P<y>(?:19|20)\d{2}|\d{2})(?![\d]|[.,]\d)"
    r"|(?<![\w.,/])(?P<d2>0?[1-9]|[12]\d|3[01])/(?P<m2>0?[1-9]|1[0-2])-(?P<y2>\d{2}|\d{4})(?!\d)"
    r"|(?<![\w.,/\-])(?P<y3>(?:19|20)\d{2})-(?P<m3>0[1-9]|1[0-2])-(?P<d3>0[1-9]|[12]\d|3[01])(?![\d])"
)
# Public holidays and national days: "17. mai" without a year is not an identifier.
_HOLIDAYS = frozenset({(1, 1), (6, 2), (8, 3), (1, 5), (8, 5), (17, 5), (23, 6), (24, 6), (22, 7),
                       (29, 7), (24, 12), (25, 12), (26, 12), (31, 12)})
_BIRTH_CUE_RE = re.compile(
    r"(?:\bfødt|\bfødd|\bf\.|\bfødselsdato|\bfødselsdag(?:en)?|\bbursdag(?:en)?|\bfødselsår)"
    r"[\s:]*(?:den\s+|i\s+|år\s+|en\s+)?$", re.IGNORECASE)
_BIRTH_YEAR_RE = re.compile(
    rf"\b(?:født|fødd|f\.)\s*(?:i\s+|år\s+|den\s+)?(?:(?:{_MONTHS})\s+)?(?P<y>(?:19|20)\d{{2}})(?![\d])",
    re.IGNORECASE)
_MODEL_YEAR_RE = re.compile(r"\b(?:er|var)\s+(?:en\s+|ekte\s+)?(?P<y>(?:19|20)?\d{2}-modell)\b", re.IGNORECASE)

_NUMWORD = (r"(?:(?:tjue|tretti|førti|femti|seksti|sytti|åtti|nitti)(?:en|ett|eitt|to|tre|fire|fem|seks|sju|syv|åtte|ni)?"
            r"|ti|elleve|tolv|tretten|fjorten|femten|seksten|sytten|atten|nitten|ett|to|tre|fire|fem|seks|sju|syv|åtte|ni|hundre)")
_NUMWORD = (rf"(?:(?:en|ein|ett|to|tre|fire|fem|seks|sju|syv|åtte|ni)\s?og\s?(?:tjue|tretti|førti|femti|seksti|sytti|åtti|nitti)"
            rf"|{_NUMWORD})")
_AGE_NUM = rf"(?:\d{{1,3}}|{_NUMWORD})"
_AGE_RES: tuple[tuple[re.Pattern[str], float, str, str], ...] = (
    (re.compile(r"(?<![\w\-])(?P<a>\d{1,3})\s?-?\s?åring(?:en)?(?![\w])", re.IGNORECASE), 0.65,
     "«N-åring» (eksakt alder)", "plain"),
    (re.compile(rf"(?<![\w\-])(?P<a>{_AGE_NUM})\s+år\s+gam(?:mel|le|malt)\b", re.IGNORECASE), 0.65,
     "«N år gammel» (eksakt alder)", "plain"),
    (re.compile(rf"(?<![\w\-])(?:jeg|eg|æ|æg|jæ|han|hun|ho|hu|hen|[a-zæøå]+\s+(?:min|mi|mitt))\s+"
                rf"(?:e|va|æ|ær)\s+(?:nå\s+|no\s+|snart\s+|bare\s+|berre\s+)?(?P<a>{_AGE_NUM})(?:\s+år)?(?![\w])",
                re.IGNORECASE), 0.6, "alder etter «ho e / han va» (dialekt)", "subj"),
    (re.compile(rf"\b(?:er|var|blir|ble|vart|er\s+blitt|har\s+blitt)\s+(?:jeg|eg|han|hun|ho|hen|du|mor|far|mamma|pappa)\s+"
                rf"(?:nå\s+|snart\s+|nesten\s+|akkurat\s+)?(?P<a>{_AGE_NUM})(?:\s+år)?(?![\w])", re.IGNORECASE), 0.6,
     "alder etter «er jeg/han/hun»", "subj"),
    (re.compile(rf"\b(?P<v>er|var|e|va|æ|blir|ble|fyller|fylte|fyllte|runder|rundet|fylt|blitt)\s+"
                rf"(?:nå\s+|no\s+|snart\s+|nesten\s+|akkurat\s+|bare\s+|berre\s+|nettopp\s+|straks\s+|allerede\s+|vel\s+)?"
                rf"(?P<a>{_AGE_NUM})(?P<yr>\s+år)?(?![\w])", re.IGNORECASE), 0.6,
     "eksakt alder", "verb"),
    (re.compile(rf"\b(?:gutt|jente|elev|pasient|mann|kvinne|dame|sønn|datter|barn|bruker|beboer|ungdom|"
                rf"gutten|jenta|eleven|pasienten|brukeren|beboeren)\s+på\s+(?P<a>{_AGE_NUM})(?:\s+år)?(?![\w])",
                re.IGNORECASE), 0.55, "«en … på N (år)» (eksakt alder)", "noun"),
    (re.compile(r"(?<![\w\-])(?P<a>\d{2,3})-års(?:dag|dagen|lag|laget|feiring)\b", re.IGNORECASE), 0.5,
     "rund dag («N-årsdag»)", "plain"),
)
_AGE_STOP_AFTER = frozenset("""siden senere seinere etter tidligere før fram frem til igjen på prosent kroner kr
timer dager uker måneder ganger stykker personer ansatte barn elever mennesker av og eller i mellom over under
minutter sekunder meter km kilo gram prosentpoeng poeng plasser senger""".split())
_AGE_SUBJECT_STOP = frozenset("det dette den vi de dere disse alle noen mange hvem som prisen summen".split())

# ---- job titles (rare: usually one per municipality, unit or parish)
_TITLES_HIGH = """ordfører varaordfører fylkesordfører ordførar varaordførar fylkesordførar rådmann fylkesrådmann kommunedirektør fylkesdirektør
kommuneoverlege bydelsoverlege fylkeslege fylkestannlege kommunepsykolog kommunalsjef helsesjef
helse-\\s+og\\s+omsorgssjef oppvekstsjef skolesjef barnehagesjef kultursjef næringssjef økonomisjef personalsjef
plansjef landbrukssjef teknisk\\s+sjef brannsjef politimester lensmann sorenskriver byfogd biskop domprost prost
sokneprest kirkeverge kyrkjeverje barnevernsleder barnevernleder barnevernsleiar barnevernssjef nav-leder nav-leiar sykehusdirektør bydelsdirektør
stortingsrepresentant statsråd statsminister""".split()
_TITLES_MID = """rektor prorektor dekan instituttleder skoleleder barnehagestyrer styrer imam rabbiner kapellan
jordmor jordmora kommunejordmor daglig\\s+leder dagleg\\s+leiar styrar styreleder konsernsjef administrerende\\s+direktør adm\\.\\s*dir\\.
hovedtillitsvalgt hovedverneombud klinikksjef klinikkdirektør avdelingsoverlege distriktsveterinær havnefogd
havnesjef kantor organist diakon""".split()
_TITLES_LOW = """enhetsleder einingsleiar avdelingsleder avdelingsleiar avdelingssjef seksjonsleder seksjonsleiar helsesykepleier helsesøster fagsjef
virksomhetsleder tjenesteleder""".split()
_TITLE_RES: list[tuple[re.Pattern[str], float]] = []
for _group, _conf in ((_TITLES_HIGH, 0.6), (_TITLES_MID, 0.45), (_TITLES_LOW, 0.3)):
    _alts = "|".join(sorted(_group, key=len, reverse=True))
    _TITLE_RES.append((re.compile(
        rf"(?<![\w\-])(?P<t>{_alts})(?:en|n|a|et)?"
        rf"(?P<for>(?-i:\s+(?:for|i|på|ved)\s+[{_LO}\-]+(?:\s+og\s+[{_LO}\-]+)?))?(?![\w\-])",
        re.IGNORECASE), _conf))
# Productive endings of rare, specialised titles: a compound with a specific first part
# («erfaringskonsulent», «ruskoordinator», «musikkterapeut») usually names one post in a small service.
_TITLE_ENDINGS = ("sykepleier|sjukepleiar|lege|mester|konsulent|koordinator|koordinatoren|terapeut|rådgiver|rådgjevar|rådgivar|spesialist|veileder|"
                  "rettleiar|rettleder|kontakt|prest|psykolog|pedagog|leder|leiar|sjef|ansvarlig|ansvarleg|"
                  "sekretær|fullmektig|representant|ombud|verge|mentor|inspektør|ingeniør")
_TITLE_ENDING_RE = re.compile(
    rf"(?<![\w\-])(?P<t>(?:(?P<acr>[{_UP}]{{2,6}})-)?(?P<pre>[{_LO}]{{3,}}?)?(?P<link>s|e)?(?P<suf>{_TITLE_ENDINGS}))"
    rf"(?:en|a|et|ane|ar)?(?![\w\-])", re.IGNORECASE)
# Compounds with these endings that are everyday posts in every service, not one person's title.
_COMMON_TITLES = frozenset("""helsesykepleier sykepleier sjukepleiar vernepleier miljøterapeut 
saksbehandler fastlege lege lærer barnehagelærer assistent miljøarbeider sosionom barnevernspedagog spesialpedagog
førskolelærer støttekontakt kontaktlærer primærkontakt kontaktperson primærkontakten avdelingsleder leder
teamleder nærmeste prosjektleder daglig styreleder psykolog sjef kokk renholder sekretær konsulent rådgiver
veileder koordinator terapeut spesialist ingeniør representant mester verdensmester norgesmester
kretsmester klubbmester hjelpepleier fagarbeider helsefagarbeider sosialarbeider hjelpearbeider
anleggsarbeider fabrikkarbeider lagerarbeider kontorarbeider medarbeider butikkmedarbeider
frivillig legevaktslege turnuslege allmennlege sykehuslege privatlege bedriftslege tannlege dyrelege
hjemmesykepleier nattsykepleier""".replace("?", "").split())
# First parts that make a general, not a specialised, title («teamleder», «prosjektkoordinator»).
_TITLE_PRE_STOP = frozenset("""kontakt team prosjekt pasient kunde personal mellom topp over under hoved
sam med nærmeste daglig avdeling seksjon enhet verdens norges europa olympisk""".split())
_TITLE_LEADER_RE = re.compile(r"(?:leder|leiar|sjef|styrer|styrar)$", re.IGNORECASE)
_STYRER_CUE_RE = re.compile(r"\b(?:er|var|ble|blitt|vært|jobber\s+som|jobbet\s+som|som\s+ny)\s+$", re.IGNORECASE)

# ---- workplaces, organisations, addresses
_WP_TYPES = ("distriktspsykiatriske senter|distriktspsykiatrisk senter|distriktspsykiatrisk sjukehus|sjukestugu|"
             "krisesenter|frivilligsentral|legevakt|senter|senteret|sentret|"
             "videregående skole|videregåande skule|videregående|ungdomsskole|ungdomsskule|barneskole|"
             "barneskule|skole|skule|vgs|barnehage|sykehjem|sjukeheim|sykehus|sjukehus|hospital|DPS|BUP|"
             "legekontor|legesenter|legesentret|helsesenter|helsehus|helsestasjon|omsorgssenter|bofellesskap|"
             "bufellesskap|omsorgsboliger|omsorgsbolig|aldershjem|rehabiliteringssenter|behandlingssenter|"
             "bo-\\s+og\\s+behandlingssenter|sykestue|fengsel|asylmottak|mottak|menighet|kirke|moské|moske|"
             "klinikk|tannklinikk|poliklinikk|ungdomshjem|avlastningsbolig|avlastningshjem|arbeidssenter|dagsenter|"
             "aktivitetssenter|bibliotek|apotek|bakeri|hotell|kafé|kafe|folkehøgskole|folkehøgskule|"
             "universitet|høgskole|høgskule|barnevernsinstitusjon|institusjon")
_ORG_TYPES = ("kommune|fylkeskommune|AS|ASA|SA|ANS|DA|BA|IL|IF|FK|SK|BK|TIL|idrettslag|sportsklubb|"
              "fotballklubb|korps|kor|menighetsråd|borettslag|sameie|stiftelse|forening|lag")
# A capitalised word, bounded and possessive so that long runs cannot cause backtracking.
_CAPW = rf"[{_UP}][\w'’.\-]{{0,40}}+"
_TOKSTART = r"(?<![\w'’.\-])"
_WP_SUFFIX_RE = re.compile(
    rf"{_TOKSTART}(?P<name>(?:{_CAPW}[ \t]+(?:(?:&|og)[ \t]+)?){{0,2}}{_CAPW})[ \t]+(?P<type>{_WP_TYPES})(?![\w])")
_ORG_SUFFIX_RE = re.compile(
    rf"{_TOKSTART}(?P<name>(?:{_CAPW}[ \t]+(?:&[ \t]+)?){{0,2}}{_CAPW})[ \t]+(?P<type>{_ORG_TYPES})(?![\w])")
_WP_PREFIX_RE = re.compile(
    rf"\b(?P<type>Sykehuset|Sjukehuset|Høgskolen|Høgskulen|Universitetet|Helse|Bydel|DPS|BUP|Kommunen|"
    rf"Distriktspsykiatrisk\s+senter|Senter\s+for)\s+(?P<prep>(?:i|på)\s+)?"
    rf"(?P<name>[{_UP}][\w\-]{{1,40}}+(?:\s+[{_UP}][\w\-]{{1,40}}+)?)")
_DETERMINERS = frozenset("""den det de denne dette disse hver hvert enhver en ei et min mi mitt mine din di ditt
dine vår vårt våre deres hans hennes sin si sitt sine samme annen annet andre ny nytt nye gammel gamle stor store
liten lille privat private kommunal kommunale offentlig offentlige lokal lokale vanlig vanlige egen eget ingen noen
statlig statlige norsk norske kristen kristne katolsk katolske samisk samiske internasjonal internasjonale ordinær
ordinære spesiell spesielle alternativ alternative interkommunal interkommunale
alle hele hvilken hvilket som at og men i på til fra ved for med om etter før under over ja nei jo vel så da når
hvis fordi selv også bare kanskje""".split())
_STREET_SUFFIX = ("gata|gaten|gate|gt\\.|veien|vegen|veg|vei|vn\\.|alleen|alléen|allé|alle|plassen|plass|"
                  "stien|sti|stredet|bakken|bakke|lia|lien|svingen|tunet|ringen|kroken|brygga|bryggen|torget|torg|"
                  "terrassen|terrasse|høgda|høyden|haugen|jordet|løkka|løkken|grenda|kaia|kaien|kollen|lunden|"
                  "parken|promenaden|tråkket|skogen|berget|åsen|enga|engen|myra|tangen|holmen|vangen|vollen|"
                  "sletta|bukta|neset|sundet|dalen|vika|gangen|tun")
_BARE_STREETS = "Torget|Torg|Bryggen|Brygga|Kaia|Kaien|Tunet|Løkka|Lia|Kollen|Haugen|Bakken|Åsen|Lien|Lunden|Parken"
_HOUSE = r"(?P<house>\d{1,4}(?:[a-hA-H]|\s[A-H])?)(?![\w])"
_POSTCODE_TAIL = (rf"(?:,?[ \t]+(?P<pc>\d{{4}})[ \t]+"
                  rf"(?P<pcplace>[{_UP}][\w\-]{{1,40}}+(?:[ \t][{_UP}][\w\-]{{1,40}}+)?))?")
_STREET_PREFIX = r"(?:(?:Nedre|Øvre|Søndre|Nordre|Vestre|Østre|Store|Lille|Gamle|Nye|Indre|Ytre|Sankt|St\.)\s+)?"
_ADDRESS_RE = re.compile(
    rf"(?<![\w\-'’.])(?P<street>{_STREET_PREFIX}(?:[{_UP}][{_LO}]{{0,30}}(?:-[{_UP}{_LO}]{{1,20}}){{0,2}}"
    rf"(?:{_STREET_SUFFIX})|(?:{_BARE_STREETS})))"
    rf"[ \t]+{_HOUSE}{_POSTCODE_TAIL}"
)
_ADDRESS_MULTI_RE = re.compile(
    rf"{_TOKSTART}(?P<street>(?:{_CAPW}[ \t]+){{1,3}}(?:gate|gata|vei|veg|vegen|veien|allé|plass|plassen|"
    rf"terrasse|torg|bakke|sti|stredet|vn\.|gt\.))[ \t]+{_HOUSE}{_POSTCODE_TAIL}"
)
_POSTBOX_RE = re.compile(
    rf"\b(?:Postboks|Pb\.?|Boks)[ \t]+\d{{1,5}}(?:[ \t]+[{_UP}][\w\-]{{1,40}}+)?{_POSTCODE_TAIL}", re.IGNORECASE)
_POSTCODE_RE = re.compile(
    rf"(?<![\w.,])(?P<pc>\d{{4}})[ \t]+(?P<place>[{_UP}][\w\-]{{1,40}}+(?:[ \t][{_UP}][\w\-]{{1,40}}+)?)")
_POSTNR_RE = re.compile(r"\bpost(?:nummer|nr\.?)(?:et)?[\s:]+(?:er\s+)?(?P<pc>\d{4})(?!\d)", re.IGNORECASE)
_YEARISH_BEFORE_RE = re.compile(r"\b(?:i|fra|til|år|siden|høsten|våren|sommeren|vinteren|etter|før|innen|"
                                r"rundt|ca\.?|mellom|og)\s*$", re.IGNORECASE)
_STRONG_STREET_RE = re.compile(r"(?:gata|gaten|gate|veien|vegen|allé|alleen|plassen|terrasse)$", re.IGNORECASE)

# ---- context for capitalised words
_PLACE_PREP = frozenset("""i på fra frå til ved utenfor utanfor nær rundt mot gjennom via innom forbi mellom
nordover sørover bor bur bodde budde flyttet flytta reiste vokste vaks kommer kjem kom""".split())
# Context cues are checked on the last few words before a candidate (cheap set look-ups
# instead of regular-expression searches anchored at the end of the prefix).
_WORK_CUE_WORD_RE = re.compile(
    r"jobb(?:er|et|a|ar|e)?|arbeid(?:er|et|a|ar|de)?|ansatt|tilsett|ansettelse|praksis|utplassert|"
    r"vikar(?:iat|ierer|ierte)?|sommerjobb|deltid|heltid|turnus|stilling|innlagt|inn|går|gikk|begynte|studerer|"
    r"studerte|elev|lærling", re.IGNORECASE)
_WORK_PREPS = frozenset("på i ved hos for".split())
_STRONG_PERSON_CUES = frozenset("""fru herr frk doktor dr dr. pastor professor prof prof. heter het heiter heitte
kalles kalt familien""".split())
_PERSON_CUES = _STRONG_PERSON_CUES | frozenset("""han hun ho kollega kollegaen kolleger sjef sjefen nabo naboen
kjæreste kjæresten venninne venninnen venn vennen søster bror sønn sønnen datter datteren mann mannen kona kone
konen samboer samboeren eks med og til spurte ringte sa mente fortalte hilsen takk hei""".split())
_CALL_OBJECTS = frozenset("henne ham han meg seg".split())
_TAIL_WORD_RE = re.compile(r"[\w.]+")


def _tail_words(text: str, pos: int, width: int = 60) -> list[str]:
    """The last few words before pos on the same line, as written."""
    return _TAIL_WORD_RE.findall(text[max(0, pos - width):pos].rsplit("\n", 1)[-1])[-5:]


def _work_cue(text: str, pos: int) -> bool:
    """ "jobber på X", "jobbet i mange år ved X", "ble lagt inn på X", "går på X" """
    ws = _tail_words(text, pos)
    if not ws or ws[-1].casefold() not in _WORK_PREPS:
        return False
    for k in range(2, min(5, len(ws) + 1)):  # the cue, then at most two lower-case words
        w = ws[-k]
        if _WORK_CUE_WORD_RE.fullmatch(w):
            return True
        if not w.islower():
            return False
    return False


def _person_cue(text: str, pos: int, strong: bool) -> bool:
    ws = _tail_words(text, pos, 40)
    if not ws:
        return False
    last = ws[-1].casefold()
    if len(ws) >= 2 and ws[-2].casefold() == "kaller" and last in _CALL_OBJECTS:
        return True
    return last in (_STRONG_PERSON_CUES if strong else _PERSON_CUES)


# Initials standing for a person: «K.H.», «T. M.», «A.B.» (two or three letters with full stops).
_INITIALS_RE = re.compile(rf"(?<![\w.])(?P<i>[{_UP}]\.\s?[{_UP}]\.(?:\s?[{_UP}]\.)?)(?![\w])")
_INITIALS_NOT = frozenset({"A.S.", "D.S.", "P.S.", "N.B.", "E.U.", "U.S.", "O.K."})

# Dates written in words: «tredje mai nittenåttifem», «første april 1962», «den 21. juni».
_ORDINALS = ("første|andre|annen|tredje|fjerde|femte|sjette|sjuende|syvende|sjuande|åttende|åttande|niende|niande|"
             "tiende|tiande|ellevte|tolvte|trettende|trettande|fjortende|fjortande|femtende|femtande|sekstende|"
             "sekstande|syttende|syttande|attende|attande|nittende|nittande|tjuende|tjuande|tjueførste|tjueandre|"
             "tjuetredje|tjuefjerde|tjuefemte|tjuesjette|tjuesjuende|tjuesyvende|tjueåttende|tjueniende|"
             "trettiende|trettiførste|enogtjuende|toogtjuende|treogtjuende")
_ORDINAL_DAY = {w: i + 1 for i, w in enumerate(
    "første andre tredje fjerde femte sjette sjuende åttende niende tiende ellevte tolvte trettende fjortende "
    "femtende sekstende syttende attende nittende tjuende tjueførste tjueandre tjuetredje tjuefjerde tjuefemte "
    "tjuesjette tjuesjuende tjueåttende tjueniende trettiende trettiførste".split())}
_ORDINAL_DAY.update({"annen": 2, "syvende": 7, "sjuande": 7, "åttande": 8, "niande": 9, "tiande": 10,
                     "trettande": 13, "fjortande": 14, "femtande": 15, "sekstande": 16, "syttande": 17,
                     "attande": 18, "nittande": 19, "tjuande": 20, "tjuesyvende": 27, "enogtjuende": 21,
                     "toogtjuende": 22, "treogtjuende": 23})
_YEAR_WORDS = (r"(?:nitten|tjue|totusen|to\s+tusen)(?:\s?hundre)?(?:\s?og)?\s?"
               r"(?:(?:tjue|tretti|førti|femti|seksti|sytti|åtti|nitti)(?:en|ett|eitt|to|tre|fire|fem|seks|sju|syv|åtte|ni)?"
               r"|ti|elleve|tolv|tretten|fjorten|femten|seksten|sytten|atten|nitten|en|ett|to|tre|fire|fem|seks|sju|syv|åtte|ni)?")
_WORD_DATE_RE = re.compile(
    rf"(?<![\w])(?:den\s+)?(?P<d>{_ORDINALS}|[0-3]?\d\.)\s+(?P<m>{_MONTHS})"
    rf"(?:\s+(?P<y>(?:19|20)\d{{2}}|{_YEAR_WORDS}))?(?![\w])", re.IGNORECASE)
_BIRTH_YEAR_WORDS_RE = re.compile(
    r"\b(?:født|fødd)\s+(?:i\s+|år\s+)?(?P<y>(?:nitten|totusen|to\s+tusen)\s?(?:hundre)?\s?(?:og)?\s?"
    r"(?:(?:tjue|tretti|førti|femti|seksti|sytti|åtti|nitti)(?:en|ett|eitt|to|tre|fire|fem|seks|sju|syv|åtte|ni)?"
    r"|ti|elleve|tolv|tretten|fjorten|femten|seksten|sytten|atten|nitten|en|ett|to|tre|fire|fem|seks|sju|syv|åtte|ni))"
    r"(?![\w])", re.IGNORECASE)

_NAME_PARTICLES = frozenset("von van der de af la bin ibn al el ben da di du".split())


# --------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------
@dataclass(slots=True)
class _Cand:
    start: int
    end: int
    kind: str
    reason: str
    confidence: float
    source: str


def _norm(s: str) -> str:
    return " ".join(s.split()).casefold()


def _strip_genitive(w: str) -> str | None:
    for suf in ("'s", "’s", "'", "’"):
        if w.endswith(suf) and len(w) > len(suf) + 1:
            return w[: -len(suf)]
    if w.endswith("s") and len(w) > 3:
        return w[:-1]
    return None


def _is_cap(w: str) -> bool:
    return w[:1].isupper()


def _is_allcaps(w: str) -> bool:
    letters = [c for c in w if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def _line_prefix(text: str, pos: int, width: int = 60) -> str:
    """Up to `width` characters before pos, not crossing a line break (O(width))."""
    chunk = text[max(0, pos - width):pos]
    return chunk[chunk.rfind("\n") + 1:]


def _prev_words(text: str, pos: int, n: int = 3) -> list[str]:
    """Up to n words before pos on the same line (lowercased), nearest last."""
    return [w.casefold() for w in re.findall(r"[\w.]+", _line_prefix(text, pos, 60))[-n:]]


# --------------------------------------------------------------------------------------
# sentence starts, labels and skipped regions
# --------------------------------------------------------------------------------------
def _labels_and_starts(text: str) -> tuple[list[tuple[int, int]], set[int]]:
    labels: list[tuple[int, int]] = []
    starts: set[int] = {0}
    for m in re.finditer(r"\n", text):
        starts.add(m.end())
    for m in _LABEL_RE.finditer(text):
        s = m.start("ts") if m.group("ts") else m.start("label")
        labels.append((s, m.end("label")))
        starts.add(m.end())
    for m in _TIMESTAMP_RE.finditer(text):
        starts.add(m.end())
    return labels, starts


def _rule_sentence_starts(text: str) -> set[int]:
    starts: set[int] = set()
    for m in _SENT_END_RE.finditer(text):
        punct = text[m.start()]
        if punct == ".":
            before = re.search(r"([\w.]+)$", text[max(0, m.start() - 12):m.start()])
            if before and before.group(1).casefold().strip(".") in _ABBREV:
                continue
            if before and len(before.group(1)) == 1 and before.group(1).isupper():
                continue  # an initial: "Kari N. Hansen"
        starts.add(m.end())
    for m in _OPEN_QUOTE_RE.finditer(text):
        starts.add(m.end())
    return starts


# --------------------------------------------------------------------------------------
# the detector
# --------------------------------------------------------------------------------------
@functools.lru_cache(maxsize=32)
def _known_names_re(names: tuple[str, ...]) -> re.Pattern[str] | None:
    alts = sorted({" ".join(n.split()) for n in names if n and n.strip()}, key=len, reverse=True)
    if not alts:
        return None
    body = "|".join(r"\s+".join(re.escape(w) for w in a.split()) for a in alts)
    return re.compile(rf"(?<![\w])(?:{body})(?:['’]?s)?(?![\w])", re.IGNORECASE)


_BLOCK_BREAK_RE = re.compile(r"\n[ \t]*\n")
