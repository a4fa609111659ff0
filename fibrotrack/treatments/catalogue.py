"""The treatment catalogue: reference data loaded by ``fibrotrack load_reference_data``.

Each entry has a category, its common names (generic and brand), the units
and forms it usually comes in, the flags the safety rules use, and the side
effects the daily check-in offers while it is active. Entries have
``user=None``; people's own treatments are separate rows that only they see.

The flags follow the products' prescribing information: "serotonergic" marks
medicines named in serotonin-syndrome warnings (SNRIs, tricyclics,
cyclobenzaprine, trazodone, tramadol, tapentadol, methadone, fentanyl,
5-HTP); "sedative" marks central nervous system depressants named in the
opioid co-prescription warnings (benzodiazepines, gabapentinoids, sleeping
tablets, sodium oxybate) and strongly sedating muscle relaxants and tricyclics.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import cast

from django.utils import formats, translation
from django.utils.translation import gettext, gettext_lazy, pgettext, pgettext_lazy
from django.utils.translation import gettext_noop as _

from fibrotrack.treatments import titration
from fibrotrack.treatments.safety import Flag

# Names, other names, categories, units and forms are stored in English (they are keys) and
# translated when shown: ``display_name``, ``alias_label``, ``unit_label``, ``form_label``.
MEDICATION, SUPPLEMENT, THERAPY, EXERCISE = "medication", "supplement", "therapy", "exercise"
# Lazy labels, typed as the str they render as (other apps build str-typed choices from them).
CATEGORIES: tuple[tuple[str, str], ...] = (
    (MEDICATION, cast(str, gettext_lazy("Medications"))),
    (SUPPLEMENT, cast(str, gettext_lazy("Supplements"))),
    (THERAPY, cast(str, gettext_lazy("Therapies"))),
    (EXERCISE, cast(str, gettext_lazy("Exercise and diet"))),
)

UNITS = (
    ("mg", pgettext_lazy("unit: milligrams", "mg")),
    ("mcg", pgettext_lazy("unit: micrograms", "mcg")),
    ("IU", pgettext_lazy("unit: international units", "IU")),
    ("ml", pgettext_lazy("unit: millilitres", "ml")),
    ("drops", pgettext_lazy("unit", "drops")),
    ("minutes", pgettext_lazy("unit", "minutes")),
    ("sessions", pgettext_lazy("unit", "sessions")),
)
UNIT_CODES = tuple(code for code, _label in UNITS)
_UNIT_LABELS = dict(UNITS)

FORMS = (
    ("tablet", gettext_lazy("Tablet")),
    ("capsule", gettext_lazy("Capsule")),
    ("liquid", gettext_lazy("Liquid")),
    ("compounded", gettext_lazy("Compounded (pharmacy-made)")),
    ("patch", gettext_lazy("Skin patch")),
    ("injection", gettext_lazy("Injection")),
    ("topical", gettext_lazy("Cream or gel")),
    ("powder", gettext_lazy("Powder")),
    ("spray", gettext_lazy("Spray")),
    ("drops", gettext_lazy("Drops")),
    ("in_person", gettext_lazy("In person")),
    ("at_home", gettext_lazy("At home")),
    ("online", gettext_lazy("Online or app")),
    ("class", gettext_lazy("Group class")),
)
FORM_LABELS = dict(FORMS)


def unit_label(code: str) -> str:
    """A unit in the active language ("IU" is "UI" in Spanish); a code we do not know as it is."""
    label = _UNIT_LABELS.get(code)
    return str(label) if label is not None else code


def in_sentence(text: str) -> str:
    """A label ("Side effects") as it reads inside a sentence: lower case, except in German, where nouns keep
    their capital ("Nebenwirkungen")."""
    if (translation.get_language() or "").startswith("de"):
        return text
    return text.lower()


def amount_text(amount: Decimal) -> str:
    """4.500 -> "4.5" in English, "4,5" in Spanish and German (the decimal mark people read)."""
    return formats.number_format(Decimal(titration.format_amount(amount)))


def dose_text(amount: Decimal | None, unit: str) -> str:
    """ "4.5 mg", in the active language; a planned pause (no amount) says so."""
    if amount is None:
        return pgettext("a planned pause in a titration plan", "pause")
    return pgettext("a dose: amount and unit", "%(amount)s %(unit)s") % {
        "amount": amount_text(amount),
        "unit": unit_label(unit),
    }


SIDE_EFFECTS: dict[str, str] = {
    "vivid_dreams": _("Vivid dreams"),
    "insomnia": _("Trouble sleeping"),
    "headache": _("Headache"),
    "nausea": _("Nausea"),
    "vomiting": _("Vomiting"),
    "dizziness": _("Dizziness"),
    "abdominal_discomfort": _("Stomach discomfort"),
    "drowsiness": _("Drowsiness"),
    "dry_mouth": _("Dry mouth"),
    "weight_gain": _("Weight gain"),
    "swelling": _("Swelling of hands or feet"),
    "blurred_vision": _("Blurred vision"),
    "trouble_concentrating": _("Trouble concentrating"),
    "constipation": _("Constipation"),
    "sweating": _("Sweating"),
    "reduced_appetite": _("Less appetite"),
    "hot_flushes": _("Hot flushes"),
    "palpitations": _("Racing or pounding heart"),
    "itching": _("Itching"),
    "heartburn": _("Heartburn"),
    "unsteadiness": _("Unsteadiness"),
    "memory_problems": _("Memory problems"),
    "next_day_drowsiness": _("Drowsy the next morning"),
    "loose_stools": _("Loose stools"),
    "jitteriness": _("Jitteriness"),
    "soreness": _("Soreness afterwards"),
    "bruising": _("Bruising"),
    "flare_after": _("Flare after the session"),
    "skin_irritation": _("Skin irritation"),
    # The rest of naltrexone's listed side effects (MedlinePlus / PubMed Health monograph).
    "stomach_pain": _("Stomach pain"),
    "stomach_cramps": _("Stomach cramps"),
    "diarrhoea": _("Diarrhoea"),
    "anxiety": _("Anxiety"),
    "nervousness": _("Nervousness"),
    "irritability": _("Irritability"),
    "tearfulness": _("Tearfulness"),
    "energy_changes": _("Changes in energy"),
    "muscle_joint_pain": _("Muscle or joint pain"),
    "rash": _("Rash"),
    # Naltrexone's serious side effects: see SERIOUS_SIDE_EFFECTS.
    "confusion": _("Confusion"),
    "hallucinations": _("Hallucinations (seeing or hearing things that are not there)"),
    "severe_vomiting_diarrhoea": _("Severe vomiting or diarrhoea"),
}

# Naltrexone's monograph lists these common side effects; the LDN pilot study
# (Younger & Mackey 2009) adds vivid dreams.
LDN_EFFECTS = (
    "nausea",
    "vomiting",
    "stomach_pain",
    "stomach_cramps",
    "diarrhoea",
    "constipation",
    "reduced_appetite",
    "headache",
    "dizziness",
    "anxiety",
    "nervousness",
    "irritability",
    "tearfulness",
    "insomnia",
    "energy_changes",
    "drowsiness",
    "muscle_joint_pain",
    "rash",
    "vivid_dreams",
)
# ... and these serious ones, which need a doctor at once.
LDN_SERIOUS_EFFECTS = ("confusion", "hallucinations", "blurred_vision", "severe_vomiting_diarrhoea")
OPIOID_EFFECTS = ("constipation", "nausea", "drowsiness", "dizziness", "itching")
GABAPENTINOID = ("dizziness", "drowsiness", "weight_gain", "swelling", "blurred_vision", "trouble_concentrating")
NSAID_EFFECTS = ("abdominal_discomfort", "heartburn", "nausea")
BENZO_EFFECTS = ("drowsiness", "unsteadiness", "memory_problems")
SLEEP_EFFECTS = ("next_day_drowsiness", "dizziness", "headache")
SESSION_EFFECTS = ("soreness", "flare_after")
EXERCISE_EFFECTS = ("soreness", "flare_after")

OPI, ANT, SER, SED = Flag.OPIOID, Flag.OPIOID_ANTAGONIST, Flag.SEROTONERGIC, Flag.SEDATIVE
PILLS = ("tablet", "capsule", "liquid")
SESSIONS = ("in_person", "at_home", "online", "class")


@dataclass(frozen=True)
class Entry:
    key: str
    name: str
    category: str
    aliases: tuple[str, ...] = ()
    units: tuple[str, ...] = ("mg",)
    forms: tuple[str, ...] = PILLS
    flags: tuple[Flag, ...] = ()
    side_effects: tuple[str, ...] = field(default=())
    # Side effects that need a doctor or emergency services at once when they appear on this treatment.
    serious_side_effects: tuple[str, ...] = ()


def _med(key: str, name: str, aliases: tuple[str, ...], **kw: object) -> Entry:
    return Entry(key, name, MEDICATION, aliases, **kw)  # type: ignore[arg-type]


def _supp(key: str, name: str, aliases: tuple[str, ...] = (), **kw: object) -> Entry:
    kw.setdefault("forms", ("tablet", "capsule", "powder", "liquid"))
    return Entry(key, name, SUPPLEMENT, aliases, **kw)  # type: ignore[arg-type]


def _therapy(key: str, name: str, aliases: tuple[str, ...] = (), **kw: object) -> Entry:
    kw.setdefault("units", ("minutes", "sessions"))
    kw.setdefault("forms", SESSIONS)
    kw.setdefault("side_effects", SESSION_EFFECTS)
    return Entry(key, name, THERAPY, aliases, **kw)  # type: ignore[arg-type]


def _exercise(key: str, name: str, aliases: tuple[str, ...] = (), **kw: object) -> Entry:
    kw.setdefault("units", ("minutes", "sessions"))
    kw.setdefault("forms", SESSIONS)
    kw.setdefault("side_effects", EXERCISE_EFFECTS)
    return Entry(key, name, EXERCISE, aliases, **kw)  # type: ignore[arg-type]


ENTRIES: tuple[Entry, ...] = (
    # Medications approved or widely used for fibromyalgia.
    _med(
        "pregabalin",
        _("Pregabalin"),
        ("Lyrica",),
        flags=(SED,),
        side_effects=GABAPENTINOID,
        forms=("capsule", "tablet", "liquid"),
    ),
    _med(
        "duloxetine",
        _("Duloxetine"),
        ("Cymbalta",),
        flags=(SER,),
        forms=("capsule",),
        side_effects=("nausea", "dry_mouth", "drowsiness", "constipation", "reduced_appetite", "sweating", "dizziness"),
    ),
    _med(
        "milnacipran",
        _("Milnacipran"),
        ("Savella",),
        flags=(SER,),
        forms=("tablet",),
        side_effects=("nausea", "headache", "constipation", "hot_flushes", "sweating", "palpitations", "insomnia"),
    ),
    _med(
        "amitriptyline",
        _("Amitriptyline"),
        ("Elavil",),
        flags=(SER, SED),
        side_effects=("dry_mouth", "next_day_drowsiness", "weight_gain", "constipation", "dizziness"),
    ),
    _med(
        "cyclobenzaprine",
        _("Cyclobenzaprine"),
        ("Flexeril", "Amrix"),
        flags=(SER, SED),
        side_effects=("drowsiness", "dry_mouth", "dizziness", "next_day_drowsiness"),
    ),
    _med(
        "gabapentin",
        _("Gabapentin"),
        ("Neurontin",),
        flags=(SED,),
        side_effects=GABAPENTINOID,
    ),
    _med(
        "naltrexone",
        _("Naltrexone (LDN)"),
        (_("Low-dose naltrexone"), "LDN", "Revia"),
        flags=(ANT,),
        forms=("capsule", "liquid", "compounded", "tablet"),
        side_effects=LDN_EFFECTS,
        serious_side_effects=LDN_SERIOUS_EFFECTS,
    ),
    # Opioids.
    _med(
        "tramadol",
        _("Tramadol"),
        ("Ultram", "Zydol", "Tramal"),
        flags=(OPI, SER),
        side_effects=("nausea", "dizziness", "constipation", "headache", "drowsiness"),
    ),
    _med("tapentadol", _("Tapentadol"), ("Nucynta", "Palexia"), flags=(OPI, SER), side_effects=OPIOID_EFFECTS),
    _med(
        "codeine", _("Codeine"), (_("Co-codamol"), _("Tylenol with codeine")), flags=(OPI,), side_effects=OPIOID_EFFECTS
    ),
    _med("hydrocodone", _("Hydrocodone"), ("Vicodin", "Norco", "Hysingla"), flags=(OPI,), side_effects=OPIOID_EFFECTS),
    _med(
        "oxycodone", _("Oxycodone"), ("OxyContin", "Percocet", "Roxicodone"), flags=(OPI,), side_effects=OPIOID_EFFECTS
    ),
    _med("morphine", _("Morphine"), ("MS Contin", "Oramorph"), flags=(OPI,), side_effects=OPIOID_EFFECTS),
    _med("methadone", _("Methadone"), ("Dolophine",), flags=(OPI, SER), side_effects=OPIOID_EFFECTS),
    _med(
        "buprenorphine",
        _("Buprenorphine"),
        ("Butrans", "Subutex", "Suboxone", "Belbuca"),
        units=("mcg", "mg"),
        forms=("patch", "tablet", "injection"),
        flags=(OPI,),
        side_effects=(*OPIOID_EFFECTS, "skin_irritation"),
    ),
    _med(
        "fentanyl",
        _("Fentanyl"),
        ("Duragesic", "Durogesic"),
        units=("mcg",),
        forms=("patch", "spray", "tablet"),
        flags=(OPI, SER),
        side_effects=(*OPIOID_EFFECTS, "skin_irritation"),
    ),
    # Other pain relief.
    _med("ibuprofen", _("Ibuprofen (NSAID)"), ("Advil", "Motrin", "Nurofen"), side_effects=NSAID_EFFECTS),
    _med("naproxen", _("Naproxen (NSAID)"), ("Aleve", "Naprosyn"), side_effects=NSAID_EFFECTS),
    _med(
        "diclofenac",
        _("Diclofenac (NSAID)"),
        ("Voltaren", "Voltarol"),
        forms=("tablet", "topical", "patch"),
        side_effects=NSAID_EFFECTS,
    ),
    _med("celecoxib", _("Celecoxib (NSAID)"), ("Celebrex",), forms=("capsule",), side_effects=NSAID_EFFECTS),
    _med("paracetamol", _("Paracetamol"), (_("Acetaminophen"), "Tylenol", "Panadol"), side_effects=("nausea",)),
    # Sleep medications.
    _med("zolpidem", _("Zolpidem (sleeping tablet)"), ("Ambien", "Stilnoct"), flags=(SED,), side_effects=SLEEP_EFFECTS),
    _med(
        "zopiclone", _("Zopiclone (sleeping tablet)"), ("Imovane", "Zimovane"), flags=(SED,), side_effects=SLEEP_EFFECTS
    ),
    _med("eszopiclone", _("Eszopiclone (sleeping tablet)"), ("Lunesta",), flags=(SED,), side_effects=SLEEP_EFFECTS),
    _med("trazodone", _("Trazodone"), ("Desyrel", "Molipaxin"), flags=(SER, SED), side_effects=SLEEP_EFFECTS),
    # Benzodiazepines.
    _med(
        "clonazepam",
        _("Clonazepam (benzodiazepine)"),
        ("Klonopin", "Rivotril"),
        flags=(SED,),
        side_effects=BENZO_EFFECTS,
    ),
    _med("alprazolam", _("Alprazolam (benzodiazepine)"), ("Xanax",), flags=(SED,), side_effects=BENZO_EFFECTS),
    _med("diazepam", _("Diazepam (benzodiazepine)"), ("Valium",), flags=(SED,), side_effects=BENZO_EFFECTS),
    _med("lorazepam", _("Lorazepam (benzodiazepine)"), ("Ativan",), flags=(SED,), side_effects=BENZO_EFFECTS),
    # Others discussed in fibromyalgia.
    _med(
        "guaifenesin",
        _("Guaifenesin"),
        ("Mucinex", "Robitussin"),
        forms=("tablet", "liquid"),
        side_effects=("nausea", "abdominal_discomfort", "dizziness"),
    ),
    _med(
        "hormone_therapy",
        _("Hormone therapy"),
        (_("Growth hormone"), _("Somatropin")),
        units=("mg", "IU", "mcg"),
        forms=("injection", "tablet", "patch", "topical"),
        side_effects=(),
    ),
    _med(
        "sodium_oxybate",
        _("Sodium oxybate"),
        ("Xyrem", "Xywav"),
        units=("mg", "ml"),
        forms=("liquid",),
        flags=(SED,),
        side_effects=("nausea", "dizziness", "headache", "vomiting"),
    ),
    # Supplements.
    _supp(
        "melatonin",
        _("Melatonin"),
        units=("mg",),
        side_effects=("next_day_drowsiness", "headache", "vivid_dreams"),
        forms=("tablet", "capsule", "liquid", "spray"),
    ),
    _supp(
        "vitamin_b12", _("Vitamin B12"), (_("Cobalamin"), _("Methylcobalamin")), units=("mcg", "mg"), side_effects=()
    ),
    _supp(
        "magnesium",
        _("Magnesium"),
        (_("Magnesium glycinate"), _("Magnesium citrate"), _("Magnesium malate")),
        side_effects=("loose_stools", "abdominal_discomfort", "nausea"),
    ),
    _supp(
        "5_htp",
        _("5-HTP"),
        (_("5-hydroxytryptophan"),),
        flags=(SER,),
        side_effects=("nausea", "heartburn", "abdominal_discomfort"),
    ),
    _supp("ginkgo", _("Ginkgo biloba"), (_("Ginkgo"),), side_effects=("headache", "abdominal_discomfort", "dizziness")),
    _supp(
        "vitamin_d",
        _("Vitamin D"),
        (_("Vitamin D3"), _("Cholecalciferol")),
        units=("IU", "mcg", "drops"),
        side_effects=(),
    ),
    _supp("coq10", _("Coenzyme Q10"), ("CoQ10", "Ubiquinol"), side_effects=("abdominal_discomfort", "insomnia")),
    _supp("acetyl_l_carnitine", _("Acetyl-L-carnitine"), ("ALCAR",), side_effects=("nausea", "insomnia")),
    _supp("glucosamine", _("Glucosamine"), (), side_effects=("abdominal_discomfort", "heartburn")),
    _supp(
        "caffeine",
        _("Caffeine"),
        (_("Coffee"),),
        units=("mg",),
        side_effects=("jitteriness", "insomnia", "palpitations"),
        forms=("tablet", "liquid"),
    ),
    # Therapies.
    _therapy(
        "cbt",
        _("Cognitive behavioural therapy (CBT)"),
        (
            # Translators: the usual abbreviation of cognitive behavioural therapy in your language ("TCC", "KVT").
            _("CBT"),
            _("Talking therapy"),
        ),
        side_effects=(),
    ),
    _therapy(
        "physical_therapy",
        _("Physical therapy"),
        (
            _("Physiotherapy"),
            # Translators: the everyday short name of physical therapy, which people search by ("fisio", "KG").
            _("PT"),
        ),
    ),
    _therapy("massage", _("Massage")),
    _therapy("myofascial_release", _("Myofascial release")),
    _therapy(
        "acupuncture",
        _("Acupuncture or acupressure"),
        (_("Acupressure"), _("Dry needling")),
        side_effects=("soreness", "bruising"),
    ),
    _therapy("chiropractic", _("Chiropractic"), (_("Chiropractor"),)),
    _therapy("tens", _("TENS"), (_("Transcutaneous electrical nerve stimulation"),), side_effects=("skin_irritation",)),
    _therapy("biofeedback", _("Biofeedback"), side_effects=()),
    _therapy("hydrotherapy", _("Hydrotherapy or balneotherapy"), (_("Balneotherapy"), _("Spa therapy"))),
    _therapy("light_therapy", _("Light therapy"), (_("Bright light therapy"),), side_effects=("headache",)),
    _therapy("guided_imagery", _("Guided imagery"), side_effects=()),
    _therapy("hypnosis", _("Hypnosis"), (_("Hypnotherapy"),), side_effects=()),
    _therapy("meditation", _("Meditation"), (_("Mindfulness"),), side_effects=()),
    _therapy("relaxation", _("Relaxation therapy"), (_("Progressive muscle relaxation"),), side_effects=()),
    _therapy("affective_self_awareness", _("Affective self-awareness"), ("ASA",), side_effects=()),
    _therapy(
        "behavioural_modification",
        _("Behavioural modification therapy"),
        (_("Behaviour therapy"), _("Behavior modification")),
        side_effects=(),
    ),
    _therapy(
        "online_self_management",
        _("Online self-management programme"),
        (_("Internet self-management"), _("Self-management app")),
        forms=("online",),
        side_effects=(),
    ),
    _therapy(
        "sleep_hygiene",
        _("Sleep hygiene"),
        (_("Sleep habits"),),
        units=("sessions",),
        forms=("at_home",),
        side_effects=(),
    ),
    # Complementary therapies the seed site lists; EULAR graded only homeopathy (strong against).
    _therapy(
        "aromatherapy",
        _("Aromatherapy"),
        (_("Essential oils"),),
        forms=("in_person", "at_home"),
        side_effects=("skin_irritation",),
    ),
    _therapy("craniosacral_therapy", _("Craniosacral therapy"), ("CST",), forms=("in_person",)),
    _therapy("reflexology", _("Reflexology"), (_("Foot reflexology"),), forms=("in_person", "at_home")),
    _therapy("reiki", _("Reiki"), forms=("in_person", "online"), side_effects=()),
    _therapy("polarity_therapy", _("Polarity therapy"), forms=("in_person",), side_effects=()),
    _therapy(
        "homeopathy",
        _("Homeopathy"),
        (_("Homeopathic remedies"),),
        units=("drops", "sessions"),
        forms=("tablet", "drops", "liquid", "in_person"),
        side_effects=(),
    ),
    _therapy(
        "magnetic_therapy",
        _("Magnetic therapy"),
        (_("Magnets"), _("Magnet therapy")),
        units=("minutes",),
        forms=("at_home", "in_person"),
        side_effects=(),
    ),
    # Exercise and diet.
    _exercise("tai_chi", _("Tai chi"), (_("Qigong"),)),
    _exercise("yoga", _("Yoga")),
    _exercise("warm_water_exercise", _("Warm-water exercise"), (_("Aquatic exercise"), _("Pool therapy"))),
    _exercise("swimming", _("Swimming")),
    _exercise("strength_training", _("Strength training"), (_("Resistance training"), _("Weights"))),
    _exercise("walking", _("Walking")),
    _exercise(
        "diet_change",
        _("Diet change"),
        (_("Anti-inflammatory diet"), _("Elimination diet")),
        units=("sessions",),
        forms=("at_home",),
        side_effects=("abdominal_discomfort",),
    ),
)

# Serious whatever the treatment: confusion, hallucinations and severe vomiting
# or diarrhoea always need a doctor. Others (blurred vision) are serious on one
# treatment (naltrexone) and a common, milder effect of another (pregabalin).
ALWAYS_SERIOUS = frozenset({"confusion", "hallucinations", "severe_vomiting_diarrhoea"})
_SERIOUS_BY_TREATMENT = {e.key: frozenset(e.serious_side_effects) for e in ENTRIES if e.serious_side_effects}


def serious_side_effects(treatment_key: str | None) -> frozenset[str]:
    """The side effects that need a doctor at once on this catalogue treatment (none for people's own)."""
    return _SERIOUS_BY_TREATMENT.get(treatment_key or "", frozenset())


def is_serious(key: str, treatment_key: str | None = None) -> bool:
    """Whether side effect ``key``, suspected of ``treatment_key`` (a catalogue key, or None), is serious."""
    return key in ALWAYS_SERIOUS or key in serious_side_effects(treatment_key)


def _fields(entry: Entry) -> dict[str, object]:
    return {
        "name": entry.name,
        "category": entry.category,
        "aliases": list(entry.aliases),
        "units": list(entry.units),
        "forms": list(entry.forms),
        "side_effects": list(entry.side_effects),
        "is_opioid": OPI in entry.flags,
        "is_opioid_antagonist": ANT in entry.flags,
        "is_serotonergic": SER in entry.flags,
        "is_sedative": SED in entry.flags,
    }


def load() -> int:
    """Create or refresh every catalogue entry. Safe to run again; a no-op costs one query.

    Entries are never deleted: regimens refer to them.
    """
    from fibrotrack.treatments.models import Treatment

    existing = {t.key: t for t in Treatment.objects.filter(user=None)}
    to_create, to_update = [], []
    for entry in ENTRIES:
        values = _fields(entry)
        row = existing.get(entry.key)
        if row is None:
            to_create.append(Treatment(user=None, key=entry.key, **values))
        elif any(getattr(row, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(row, name, value)
            to_update.append(row)
    if to_create:
        Treatment.objects.bulk_create(to_create)
    if to_update:
        Treatment.objects.bulk_update(to_update, list(_fields(ENTRIES[0])))
    return len(ENTRIES)


def side_effect_label(name: str) -> str:
    """A catalogue side effect's name in the active language (stored in English); one typed in as written."""
    return gettext(name) if name in _SIDE_EFFECT_NAMES else name


_SIDE_EFFECT_NAMES = frozenset(SIDE_EFFECTS.values())


def side_effect_name(typed: str) -> str:
    """What to store for a side effect typed in: the catalogue's English name (its key) when the text is a
    catalogue side effect in the active language or in English, else the text as written."""
    wanted = typed.strip().casefold()
    for name in SIDE_EFFECTS.values():
        if wanted in (name.casefold(), gettext(name).casefold()):
            return name
    return typed.strip()


# Every catalogue name and other name marked for translation. Brand names ("Xanax") and the names and
# abbreviations used the same in every language ("CoQ10", "Ubiquinol") are not marked: they stay as sold.
_CATALOGUE_WORDS = frozenset(e.name for e in ENTRIES) | frozenset(a for e in ENTRIES for a in e.aliases)


def display_name(name: str, *, custom: bool) -> str:
    """A treatment's name in the active language: the catalogue's is translated, a person's own is as written."""
    return name if custom or name not in _CATALOGUE_WORDS else gettext(name)


def alias_label(alias: str) -> str:
    return gettext(alias) if alias in _CATALOGUE_WORDS else alias
