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

from django.utils.translation import gettext
from django.utils.translation import gettext_noop as _

from fibrotrack.treatments.safety import Flag

MEDICATION, SUPPLEMENT, THERAPY, EXERCISE = "medication", "supplement", "therapy", "exercise"
CATEGORIES = (
    (MEDICATION, "Medications"),
    (SUPPLEMENT, "Supplements"),
    (THERAPY, "Therapies"),
    (EXERCISE, "Exercise and diet"),
)

UNITS = (
    ("mg", "mg"),
    ("mcg", "mcg"),
    ("IU", "IU"),
    ("ml", "ml"),
    ("drops", "drops"),
    ("minutes", "minutes"),
    ("sessions", "sessions"),
)
UNIT_CODES = tuple(code for code, _ in UNITS)

FORMS = (
    ("tablet", "Tablet"),
    ("capsule", "Capsule"),
    ("liquid", "Liquid"),
    ("compounded", "Compounded (pharmacy-made)"),
    ("patch", "Skin patch"),
    ("injection", "Injection"),
    ("topical", "Cream or gel"),
    ("powder", "Powder"),
    ("spray", "Spray"),
    ("drops", "Drops"),
    ("in_person", "In person"),
    ("at_home", "At home"),
    ("online", "Online or app"),
    ("class", "Group class"),
)
FORM_LABELS = dict(FORMS)

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
        "Pregabalin",
        ("Lyrica",),
        flags=(SED,),
        side_effects=GABAPENTINOID,
        forms=("capsule", "tablet", "liquid"),
    ),
    _med(
        "duloxetine",
        "Duloxetine",
        ("Cymbalta",),
        flags=(SER,),
        forms=("capsule",),
        side_effects=("nausea", "dry_mouth", "drowsiness", "constipation", "reduced_appetite", "sweating", "dizziness"),
    ),
    _med(
        "milnacipran",
        "Milnacipran",
        ("Savella",),
        flags=(SER,),
        forms=("tablet",),
        side_effects=("nausea", "headache", "constipation", "hot_flushes", "sweating", "palpitations", "insomnia"),
    ),
    _med(
        "amitriptyline",
        "Amitriptyline",
        ("Elavil",),
        flags=(SER, SED),
        side_effects=("dry_mouth", "next_day_drowsiness", "weight_gain", "constipation", "dizziness"),
    ),
    _med(
        "cyclobenzaprine",
        "Cyclobenzaprine",
        ("Flexeril", "Amrix"),
        flags=(SER, SED),
        side_effects=("drowsiness", "dry_mouth", "dizziness", "next_day_drowsiness"),
    ),
    _med(
        "gabapentin",
        "Gabapentin",
        ("Neurontin",),
        flags=(SED,),
        side_effects=GABAPENTINOID,
    ),
    _med(
        "naltrexone",
        "Naltrexone (LDN)",
        ("Low-dose naltrexone", "LDN", "Revia"),
        flags=(ANT,),
        forms=("capsule", "liquid", "compounded", "tablet"),
        side_effects=LDN_EFFECTS,
        serious_side_effects=LDN_SERIOUS_EFFECTS,
    ),
    # Opioids.
    _med(
        "tramadol",
        "Tramadol",
        ("Ultram", "Zydol", "Tramal"),
        flags=(OPI, SER),
        side_effects=("nausea", "dizziness", "constipation", "headache", "drowsiness"),
    ),
    _med("tapentadol", "Tapentadol", ("Nucynta", "Palexia"), flags=(OPI, SER), side_effects=OPIOID_EFFECTS),
    _med("codeine", "Codeine", ("Co-codamol", "Tylenol with codeine"), flags=(OPI,), side_effects=OPIOID_EFFECTS),
    _med("hydrocodone", "Hydrocodone", ("Vicodin", "Norco", "Hysingla"), flags=(OPI,), side_effects=OPIOID_EFFECTS),
    _med("oxycodone", "Oxycodone", ("OxyContin", "Percocet", "Roxicodone"), flags=(OPI,), side_effects=OPIOID_EFFECTS),
    _med("morphine", "Morphine", ("MS Contin", "Oramorph"), flags=(OPI,), side_effects=OPIOID_EFFECTS),
    _med("methadone", "Methadone", ("Dolophine",), flags=(OPI, SER), side_effects=OPIOID_EFFECTS),
    _med(
        "buprenorphine",
        "Buprenorphine",
        ("Butrans", "Subutex", "Suboxone", "Belbuca"),
        units=("mcg", "mg"),
        forms=("patch", "tablet", "injection"),
        flags=(OPI,),
        side_effects=(*OPIOID_EFFECTS, "skin_irritation"),
    ),
    _med(
        "fentanyl",
        "Fentanyl",
        ("Duragesic", "Durogesic"),
        units=("mcg",),
        forms=("patch", "spray", "tablet"),
        flags=(OPI, SER),
        side_effects=(*OPIOID_EFFECTS, "skin_irritation"),
    ),
    # Other pain relief.
    _med("ibuprofen", "Ibuprofen (NSAID)", ("Advil", "Motrin", "Nurofen"), side_effects=NSAID_EFFECTS),
    _med("naproxen", "Naproxen (NSAID)", ("Aleve", "Naprosyn"), side_effects=NSAID_EFFECTS),
    _med(
        "diclofenac",
        "Diclofenac (NSAID)",
        ("Voltaren", "Voltarol"),
        forms=("tablet", "topical", "patch"),
        side_effects=NSAID_EFFECTS,
    ),
    _med("celecoxib", "Celecoxib (NSAID)", ("Celebrex",), forms=("capsule",), side_effects=NSAID_EFFECTS),
    _med("paracetamol", "Paracetamol", ("Acetaminophen", "Tylenol", "Panadol"), side_effects=("nausea",)),
    # Sleep medications.
    _med("zolpidem", "Zolpidem (sleeping tablet)", ("Ambien", "Stilnoct"), flags=(SED,), side_effects=SLEEP_EFFECTS),
    _med("zopiclone", "Zopiclone (sleeping tablet)", ("Imovane", "Zimovane"), flags=(SED,), side_effects=SLEEP_EFFECTS),
    _med("eszopiclone", "Eszopiclone (sleeping tablet)", ("Lunesta",), flags=(SED,), side_effects=SLEEP_EFFECTS),
    _med("trazodone", "Trazodone", ("Desyrel", "Molipaxin"), flags=(SER, SED), side_effects=SLEEP_EFFECTS),
    # Benzodiazepines.
    _med(
        "clonazepam", "Clonazepam (benzodiazepine)", ("Klonopin", "Rivotril"), flags=(SED,), side_effects=BENZO_EFFECTS
    ),
    _med("alprazolam", "Alprazolam (benzodiazepine)", ("Xanax",), flags=(SED,), side_effects=BENZO_EFFECTS),
    _med("diazepam", "Diazepam (benzodiazepine)", ("Valium",), flags=(SED,), side_effects=BENZO_EFFECTS),
    _med("lorazepam", "Lorazepam (benzodiazepine)", ("Ativan",), flags=(SED,), side_effects=BENZO_EFFECTS),
    # Others discussed in fibromyalgia.
    _med(
        "guaifenesin",
        "Guaifenesin",
        ("Mucinex", "Robitussin"),
        forms=("tablet", "liquid"),
        side_effects=("nausea", "abdominal_discomfort", "dizziness"),
    ),
    _med(
        "hormone_therapy",
        "Hormone therapy",
        ("Growth hormone", "Somatropin"),
        units=("mg", "IU", "mcg"),
        forms=("injection", "tablet", "patch", "topical"),
        side_effects=(),
    ),
    _med(
        "sodium_oxybate",
        "Sodium oxybate",
        ("Xyrem", "Xywav"),
        units=("mg", "ml"),
        forms=("liquid",),
        flags=(SED,),
        side_effects=("nausea", "dizziness", "headache", "vomiting"),
    ),
    # Supplements.
    _supp(
        "melatonin",
        "Melatonin",
        units=("mg",),
        side_effects=("next_day_drowsiness", "headache", "vivid_dreams"),
        forms=("tablet", "capsule", "liquid", "spray"),
    ),
    _supp("vitamin_b12", "Vitamin B12", ("Cobalamin", "Methylcobalamin"), units=("mcg", "mg"), side_effects=()),
    _supp(
        "magnesium",
        "Magnesium",
        ("Magnesium glycinate", "Magnesium citrate", "Magnesium malate"),
        side_effects=("loose_stools", "abdominal_discomfort", "nausea"),
    ),
    _supp(
        "5_htp",
        "5-HTP",
        ("5-hydroxytryptophan",),
        flags=(SER,),
        side_effects=("nausea", "heartburn", "abdominal_discomfort"),
    ),
    _supp("ginkgo", "Ginkgo biloba", ("Ginkgo",), side_effects=("headache", "abdominal_discomfort", "dizziness")),
    _supp("vitamin_d", "Vitamin D", ("Vitamin D3", "Cholecalciferol"), units=("IU", "mcg", "drops"), side_effects=()),
    _supp("coq10", "Coenzyme Q10", ("CoQ10", "Ubiquinol"), side_effects=("abdominal_discomfort", "insomnia")),
    _supp("acetyl_l_carnitine", "Acetyl-L-carnitine", ("ALCAR",), side_effects=("nausea", "insomnia")),
    _supp("glucosamine", "Glucosamine", (), side_effects=("abdominal_discomfort", "heartburn")),
    _supp(
        "caffeine",
        "Caffeine",
        ("Coffee",),
        units=("mg",),
        side_effects=("jitteriness", "insomnia", "palpitations"),
        forms=("tablet", "liquid"),
    ),
    # Therapies.
    _therapy("cbt", "Cognitive behavioural therapy (CBT)", ("CBT", "Talking therapy"), side_effects=()),
    _therapy("physical_therapy", "Physical therapy", ("Physiotherapy", "PT")),
    _therapy("massage", "Massage"),
    _therapy("myofascial_release", "Myofascial release"),
    _therapy(
        "acupuncture",
        "Acupuncture or acupressure",
        ("Acupressure", "Dry needling"),
        side_effects=("soreness", "bruising"),
    ),
    _therapy("chiropractic", "Chiropractic", ("Chiropractor",)),
    _therapy("tens", "TENS", ("Transcutaneous electrical nerve stimulation",), side_effects=("skin_irritation",)),
    _therapy("biofeedback", "Biofeedback", side_effects=()),
    _therapy("hydrotherapy", "Hydrotherapy or balneotherapy", ("Balneotherapy", "Spa therapy")),
    _therapy("light_therapy", "Light therapy", ("Bright light therapy",), side_effects=("headache",)),
    _therapy("guided_imagery", "Guided imagery", side_effects=()),
    _therapy("hypnosis", "Hypnosis", ("Hypnotherapy",), side_effects=()),
    _therapy("meditation", "Meditation", ("Mindfulness",), side_effects=()),
    _therapy("relaxation", "Relaxation therapy", ("Progressive muscle relaxation",), side_effects=()),
    _therapy("affective_self_awareness", "Affective self-awareness", ("ASA",), side_effects=()),
    _therapy(
        "behavioural_modification",
        "Behavioural modification therapy",
        ("Behaviour therapy", "Behavior modification"),
        side_effects=(),
    ),
    _therapy(
        "online_self_management",
        "Online self-management programme",
        ("Internet self-management", "Self-management app"),
        forms=("online",),
        side_effects=(),
    ),
    _therapy(
        "sleep_hygiene", "Sleep hygiene", ("Sleep habits",), units=("sessions",), forms=("at_home",), side_effects=()
    ),
    # Complementary therapies the seed site lists; EULAR graded only homeopathy (strong against).
    _therapy(
        "aromatherapy",
        "Aromatherapy",
        ("Essential oils",),
        forms=("in_person", "at_home"),
        side_effects=("skin_irritation",),
    ),
    _therapy("craniosacral_therapy", "Craniosacral therapy", ("CST",), forms=("in_person",)),
    _therapy("reflexology", "Reflexology", ("Foot reflexology",), forms=("in_person", "at_home")),
    _therapy("reiki", "Reiki", forms=("in_person", "online"), side_effects=()),
    _therapy("polarity_therapy", "Polarity therapy", forms=("in_person",), side_effects=()),
    _therapy(
        "homeopathy",
        "Homeopathy",
        ("Homeopathic remedies",),
        units=("drops", "sessions"),
        forms=("tablet", "drops", "liquid", "in_person"),
        side_effects=(),
    ),
    _therapy(
        "magnetic_therapy",
        "Magnetic therapy",
        ("Magnets", "Magnet therapy"),
        units=("minutes",),
        forms=("at_home", "in_person"),
        side_effects=(),
    ),
    # Exercise and diet.
    _exercise("tai_chi", "Tai chi", ("Qigong",)),
    _exercise("yoga", "Yoga"),
    _exercise("warm_water_exercise", "Warm-water exercise", ("Aquatic exercise", "Pool therapy")),
    _exercise("swimming", "Swimming"),
    _exercise("strength_training", "Strength training", ("Resistance training", "Weights")),
    _exercise("walking", "Walking"),
    _exercise(
        "diet_change",
        "Diet change",
        ("Anti-inflammatory diet", "Elimination diet"),
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
