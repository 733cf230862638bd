"""Policy drafts for the demo, written in memory with python-docx.

A demo is only convincing if the documents look like what a drafter
uploads: numbered sections of policy prose, an implementation matrix and a
summary in the country's own language, set right to left as Word expects.
The second version of a draft edits paragraphs and adds a section, so that
version comparison has something to show.

The zip is written with fixed timestamps (the engine's document_bytes): the same content gives
the same bytes, so the demo history is reproducible and two versions of a
policy differ exactly where their text does. Pure functions over bytes,
like the rest of the .docx engine: no Django here.
"""

import datetime
from dataclasses import dataclass

from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from documents.docx.records import document_bytes

# A zip entry cannot be dated before 1980; any fixed date will do.
DRAFTED = datetime.datetime(2026, 1, 1, 9, 0, tzinfo=datetime.UTC)

# Children of w:pPr and w:rPr that must follow the ones added here, in
# schema order; Word may refuse a document whose properties are out of order.
AFTER_BIDI = (
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
)
AFTER_RTL = ("w:cs", "w:em", "w:lang", "w:eastAsianLayout", "w:specVanish", "w:oMath")
AFTER_LANG = ("w:eastAsianLayout", "w:specVanish", "w:oMath")


@dataclass(frozen=True)
class NationalLanguage:
    """A right-to-left language a summary is written in."""

    name: str
    tag: str  # BCP 47, written to w:lang so that spell-checking picks the right language
    heading: str
    summary: str
    consultation: str
    # What the policy commits to, in the language itself: remittances,
    # return, the diaspora. Written partly with vowel marks (tashkeel, the
    # Dari and Urdu ezafe), as such texts are, so that search is shown
    # finding them whether a query has the marks or not.
    commitments: tuple = ()


# The summaries are meant in Arabic script; where a letter resembles a Latin
# one, the lint's confusable-character warning is silenced line by line.
LANGUAGES = {
    "fa": NationalLanguage(
        name="Dari",
        tag="fa-AF",
        heading="خلاصه",
        summary="این سند پیش‌نویس پالیسی است و برای مشوره با نهادهای ملی ذیربط تهیه شده است.",
        consultation="نظریات وزارت‌ها و نهادهای ملی در این نسخه در نظر گرفته شده است.",  # noqa: RUF001
        commitments=(
            "حکومت انتقال پول مهاجرین افغان را از طریق بانک‌های رسمی آسان و ارزان می‌سازد.",
            "بازگشتِ داوطلبانه و مصئونِ مهاجرین حقِ هر شهروند است و وزارت امور مهاجرین و "
            "عودت‌کنندگان خدمات ادغام مجدد را فراهم می‌کند.",
            "یک دفتر ارتباط با افغان‌های مقیم خارج برای جلب سرمایه‌گذاری و انتقال مهارت‌ها "  # noqa: RUF001
            "ایجاد می‌شود.",
        ),
    ),
    "ps": NationalLanguage(
        name="Pashto",
        tag="ps-AF",
        heading="لنډیز",
        summary="دا سند د پالیسۍ مسوده ده او د اړوندو ملي بنسټونو سره د مشورې لپاره چمتو شوې ده.",
        consultation="په دې نسخه کې د وزارتونو او ملي بنسټونو نظرونه په پام کې نیول شوي دي.",
        commitments=("د بهر مېشتو افغانانو د پیسو لېږد د رسمي بانکونو له لارې اسانه کېږي.",),
    ),
    "ur": NationalLanguage(
        name="Urdu",
        tag="ur-PK",
        heading="خلاصہ",
        summary=(
            "یہ دستاویز پالیسی کا مسودہ ہے اور متعلقہ قومی اداروں سے مشاورت کے لیے تیار کی گئی ہے۔"  # noqa: RUF001
        ),
        consultation="اس نسخے میں وزارتوں اور قومی اداروں کی آراء کو شامل کیا گیا ہے۔",  # noqa: RUF001
        commitments=(
            "بیرونِ ملک مقیم پاکستانیوں کی ترسیلاتِ زر کو باضابطہ بینکاری ذرائع سے سستا اور "
            "آسان بنایا جائے گا۔",  # noqa: RUF001
            "بیرونِ ملک جانے والے کارکنوں کو روانگی سے پہلے تربیت اور ان کے حقوق کے بارے میں "
            "معلومات مفت فراہم کی جائیں گی۔",  # noqa: RUF001
            "وطن واپس آنے والے کارکنوں کی مہارتوں کو تسلیم کیا جائے گا اور انہیں روزگار کے "
            "مواقع سے جوڑا جائے گا۔",  # noqa: RUF001
        ),
    ),
    "ar": NationalLanguage(
        name="Arabic",
        tag="ar-IQ",
        heading="ملخص",
        summary="هذه الوثيقة مسودة سياسة أُعدّت للتشاور مع المؤسسات الوطنية المعنية.",
        consultation="تأخذ هذه النسخة بعين الاعتبار ملاحظات الوزارات والمؤسسات الوطنية.",
        commitments=(
            "تَعْمَلُ الحُكُومَةُ عَلَى تَيْسِيرِ تَحْوِيلَاتِ المُغْتَرِبِينَ العِرَاقِيِّينَ "
            "وَخَفْضِ كُلْفَتِهَا عَبْرَ القَنَوَاتِ المَصْرِفِيَّةِ الرَّسْمِيَّةِ.",
            "تُنشئ وزارة الهجرة والمهجرين مكتباً للتواصل مع الجاليات العراقية في الخارج، "
            "وتُعِدّ سجلاً للكفاءات العراقية المقيمة خارج البلاد.",
            "يَحِقُّ لِكُلِّ عِرَاقِيٍّ مُقِيمٍ فِي الخَارِجِ العَوْدَةُ الطَّوْعِيَّةُ الآمِنَةُ، "
            "وَتُقَدِّمُ الدَّوْلَةُ خَدَمَاتِ إِعَادَةِ الإِدْمَاجِ لِلْعَائِدِينَ.",
            "تُنشر بيانات الهجرة والتحويلات سنوياً في تقرير تعدّه الوزارة بالتعاون مع "
            "الجهاز المركزي للإحصاء.",
        ),
    ),
}

PRINCIPLES = (
    (
        "Rights-based approach",
        "Every measure respects the human rights of migrants and their families, "
        "whatever their status, in line with the international instruments the "
        "country has ratified.",
    ),
    (
        "Whole-of-government coordination",
        "Migration touches labour, foreign affairs, interior, education and social "
        "protection; no single ministry can govern it alone.",
    ),
    (
        "Evidence-based policy making",
        "Decisions rest on reliable data on migration flows, skills and returns, "
        "collected and shared under clear data protection rules.",
    ),
    (
        "Gender responsiveness",
        "Women and men migrate for different reasons and face different risks; "
        "measures are designed and monitored with that difference in mind.",
    ),
)

# Each country's name in the prose, and the languages its summary is written in.
COUNTRIES = {
    "AF": ("Afghanistan", ("fa", "ps")),
    "PK": ("Pakistan", ("ur",)),
    "IQ": ("Iraq", ("ar",)),
}

# What each theme of a policy commits to: an objective and its first action.
THEME_MEASURES = {
    "Labour migration": (
        "Promote safe, orderly and regular labour migration that matches the skills of "
        "workers with demand in countries of destination.",
        "Establish pre-departure orientation and skills recognition services",
    ),
    "Diaspora engagement": (
        "Engage the diaspora as partners in national development through investment, "
        "skills transfer and remittances.",
        "Set up a diaspora engagement desk and a registry of diaspora professionals",
    ),
    "Return and reintegration": (
        "Support the sustainable return and reintegration of returnees through "
        "livelihoods, housing and access to public services.",
        "Create referral mechanisms for returnees at border crossings and airports",
    ),
    "Protection of migrants' rights": (
        "Protect the rights and welfare of migrants at every stage of migration, in "
        "particular women and workers abroad.",
        "Strengthen consular assistance and complaint mechanisms for migrants abroad",
    ),
    "Countering migrant smuggling": (
        "Prevent and prosecute the smuggling of migrants while protecting the rights of "
        "smuggled migrants.",
        "Train investigators and prosecutors on migrant smuggling and victim referral",
    ),
}


@dataclass(frozen=True)
class DraftContent:
    """What a policy draft says; the layout is the same for every policy."""

    title: str
    country: str  # ISO 3166 code, a key of COUNTRIES
    lead_ministry: str
    partners: tuple[str, ...]
    focus: str
    themes: tuple[str, ...]
    author: str

    @property
    def country_name(self):
        return COUNTRIES[self.country][0]

    @property
    def languages(self):
        return COUNTRIES[self.country][1]


# What changed in each version, as the drafter says it when uploading.
VERSION_NOTES = {
    1: "First full draft after the national consultation workshop.",
    2: "Revised after expert review: monitoring section added, objectives updated.",
}


def render_draft(content, number):
    """The .docx bytes of version ``number`` (1 or later) of a policy draft."""
    return document_bytes(_draft(content, number))


def _draft(content, number):
    revised = number > 1
    document = Document()
    _set_core_properties(document, content, number)
    document.add_paragraph(content.title, style="Title")
    document.add_paragraph(
        f"Draft version {number} · prepared for consultation with the {content.lead_ministry}",
        style="Subtitle",
    )
    _introduction(document, content, revised)
    _objectives(document, content, revised)
    _principles(document, revised)
    _implementation(document, content, revised)
    next_section = 5
    if revised:
        _monitoring(document, content)
        next_section = 6
    _national_summaries(document, content, next_section, revised)
    return document


def _set_core_properties(document, content, number):
    properties = document.core_properties
    properties.title = content.title
    properties.subject = f"National policy of {content.country_name}"
    properties.author = content.author
    properties.last_modified_by = content.author
    properties.keywords = "migration; policy; draft"
    properties.comments = f"Draft version {number} for expert review and institutional support."
    properties.revision = number
    properties.created = DRAFTED
    properties.modified = DRAFTED + datetime.timedelta(days=30 * (number - 1))


def _introduction(document, content, revised):
    document.add_heading("1. Introduction", level=1)
    document.add_paragraph(
        f"Migration shapes the economy and society of {content.country_name}. Remittances "
        "sustain millions of households, skills acquired abroad return with those who "
        "come back, and displacement has left many families without stable livelihoods. "
        f"{content.focus}"
    )
    if revised:
        document.add_paragraph(
            "This revised draft reflects the comments received from national institutions "
            "during the technical consultations and the recommendations of the expert review. "
            "It replaces the earlier draft in full."
        )
    else:
        document.add_paragraph(
            "This draft was prepared with national stakeholders and is submitted for expert "
            "review before it is shared with the institutions whose support is required."
        )


def _objectives(document, content, revised):
    document.add_heading("2. Policy objectives", level=1)
    document.add_paragraph(
        "The policy pursues the following objectives, each of which is translated into "
        "actions in the implementation matrix:"
    )
    for theme in content.themes:
        document.add_paragraph(THEME_MEASURES[theme][0], style="List Number")
    if revised:
        document.add_paragraph(
            "Strengthen the collection, analysis and sharing of migration data to inform "
            "the review of this policy.",
            style="List Number",
        )


def _principles(document, revised):
    document.add_heading("3. Guiding principles", level=1)
    for name, explanation in PRINCIPLES:
        paragraph = document.add_paragraph(style="List Bullet")
        paragraph.add_run(f"{name}. ").bold = True
        paragraph.add_run(explanation)
    if revised:
        paragraph = document.add_paragraph(style="List Bullet")
        paragraph.add_run("Partnership. ").bold = True
        paragraph.add_run(
            "Countries of destination and transit, civil society, the private sector and "
            "the diaspora are partners in implementation, not only its audience."
        )


def _implementation(document, content, revised):
    document.add_heading("4. Implementation and coordination", level=1)
    partners = ", ".join(f"the {partner}" for partner in content.partners)
    document.add_paragraph(
        f"The {content.lead_ministry} leads the implementation of this policy and chairs an "
        f"inter-ministerial steering committee with {partners}. The committee meets "
        f"{'quarterly' if revised else 'twice a year'}, approves annual work plans and reports "
        "on progress to the government."
    )
    table = document.add_table(rows=1, cols=4, style="Table Grid")
    for cell, heading in zip(
        table.rows[0].cells, ("Action", "Lead", "Partners", "Timeframe"), strict=True
    ):
        cell.text = heading
        cell.paragraphs[0].runs[0].bold = True
    timeframes = ("Year 1", "Years 1 to 2", "Years 2 to 3", "Years 3 to 5")
    for index, theme in enumerate(content.themes):
        action = THEME_MEASURES[theme][1]
        row = table.add_row().cells
        row[0].text = action
        row[1].text = content.lead_ministry
        row[2].text = content.partners[index % len(content.partners)]
        row[3].text = timeframes[min(index, len(timeframes) - 1)]
    if revised:
        row = table.add_row().cells
        row[0].text = "Publish an annual progress report against the indicators"
        row[1].text = content.lead_ministry
        row[2].text = ", ".join(content.partners)
        row[3].text = "Every year"


def _monitoring(document, content):
    document.add_heading("5. Monitoring, evaluation and review", level=1)
    document.add_paragraph(
        f"The {content.lead_ministry} publishes an annual progress report against the "
        "indicators of the implementation matrix. An independent mid-term evaluation is "
        "carried out in the third year, and the policy is reviewed in full after five years."
    )


def _national_summaries(document, content, section, revised):
    names = " and ".join(LANGUAGES[code].name for code in content.languages)
    document.add_heading(f"{section}. Summary in {names}", level=1)
    for code in content.languages:
        language = LANGUAGES[code]
        _add_right_to_left(document, language.heading, language, style="Heading 2")
        _add_right_to_left(document, language.summary, language)
        for text in language.commitments:
            _add_right_to_left(document, text, language)
        if revised:
            _add_right_to_left(document, language.consultation, language)


def _add_right_to_left(document, text, language, style=None):
    """A paragraph Word lays out right to left, with its runs marked as such.

    ``w:bidi`` sets the paragraph's direction and alignment; ``w:rtl`` and
    the bidi language on the run make Word shape the text with the
    complex-script font instead of reordering it as Latin text.
    """
    paragraph = document.add_paragraph(style=style)
    paragraph._p.get_or_add_pPr().insert_element_before(OxmlElement("w:bidi"), *AFTER_BIDI)
    run = paragraph.add_run(text)
    run_properties = run._r.get_or_add_rPr()
    run_properties.get_or_add_rFonts().set(qn("w:cs"), "Arial")
    run_properties.insert_element_before(OxmlElement("w:rtl"), *AFTER_RTL)
    run_properties.insert_element_before(
        OxmlElement("w:lang", attrs={qn("w:bidi"): language.tag}), *AFTER_LANG
    )
    return paragraph


# -- what a reviewer sends back ------------------------------------------------

REVIEW_COMMENTS = (
    ("1. Introduction", 0, "Give figures: how many households live on remittances?"),
    ("2. Policy objectives", 1, "Each objective needs an indicator and a target year."),
    ("4. Implementation and coordination", 0, "Who monitors? Name the body and its report."),
)
REVIEW_INSERTION = " A secretariat in the lead ministry prepares its meetings and minutes."
REVIEWED_ON = datetime.datetime(2026, 2, 1, 10, 0, tzinfo=datetime.UTC)


def render_marked_up(content, number, reviewer):
    """Version ``number`` as ``reviewer`` marked it up in Word: a comment in three
    sections and a tracked insertion in the implementation paragraph."""
    document = _draft(content, number)
    paragraphs = document.paragraphs
    for heading, offset, text in REVIEW_COMMENTS:
        start = next(i for i, p in enumerate(paragraphs) if p.text == heading)
        target = paragraphs[start + 1 + offset]
        document.add_comment(target.runs, text=text, author=reviewer, initials="R")
    implementation = next(
        paragraphs[i + 1]
        for i, p in enumerate(paragraphs)
        if p.text == "4. Implementation and coordination"
    )
    _track_insertion(implementation, REVIEW_INSERTION, reviewer)
    return document_bytes(document)


def _track_insertion(paragraph, text, author):
    insertion = OxmlElement(
        "w:ins",
        attrs={
            qn("w:id"): "901",
            qn("w:author"): author,
            qn("w:date"): f"{REVIEWED_ON:%Y-%m-%dT%H:%M:%SZ}",
        },
    )
    run = OxmlElement("w:r")
    text_element = OxmlElement(
        "w:t", attrs={"{http://www.w3.org/XML/1998/namespace}space": "preserve"}
    )
    text_element.text = text
    run.append(text_element)
    insertion.append(run)
    paragraph._p.append(insertion)


# -- translations ----------------------------------------------------------------


@dataclass(frozen=True)
class Translated:
    """A policy's text in one of its translation languages."""

    tag: str  # BCP 47, for w:lang
    right_to_left: bool
    sentences: tuple[str, ...]
    revision: str  # what the revised version adds


# Real sentences about migration policy, as a translator of the draft writes them.
TRANSLATED = {
    "fa": Translated(
        tag="fa-AF",
        right_to_left=True,
        sentences=(
            "پالیسی جامع ملی مهاجرت",
            (
                "مهاجرت بخش مهمی از زندگی اقتصادی و اجتماعی کشور است و حواله‌های "
                "مهاجرین معیشت میلیون‌ها خانواده را تأمین می‌کند."  # noqa: RUF001
            ),
            "این پالیسی حقوق مهاجرین و خانواده‌های آنان را در تمام مراحل مهاجرت حمایت می‌کند.",
            (
                "وزارت مسئول تطبیق این پالیسی را رهبری می‌کند و کمیتهٔ رهبری "
                "میان‌وزارتی را ریاست می‌نماید."
            ),
            (
                "عودت‌کنندگان از طریق فرصت‌های معیشتی، سرپناه و دسترسی به خدمات عامه "
                "دوباره در جامعه ادغام می‌شوند."
            ),
        ),
        revision="پیشرفت تطبیق این پالیسی هر سال در یک گزارش عامه ارزیابی می‌شود.",
    ),
    "ps": Translated(
        tag="ps-AF",
        right_to_left=True,
        sentences=(
            "د کډوالۍ جامع ملي پالیسي",
            (
                "کډوالي د هېواد په اقتصادي او ټولنیز ژوند کې مهم رول لري او د کډوالو "
                "استولې پیسې د ملیونونو کورنیو ژوند ساتي."
            ),
            "دا پالیسي د کډوالو او د هغوی د کورنیو حقونه د کډوالۍ په ټولو پړاوونو کې ساتي.",
            "مسؤول وزارت د دې پالیسۍ پلي کول رهبري کوي او د بین الوزارتي کمېټې مشري کوي.",
            (
                "راستنېدونکي د معیشت، سرپناه او عامه خدمتونو ته د لاسرسي له لارې په "
                "ټولنه کې بیا یوځای کېږي."
            ),
        ),
        revision="د دې پالیسۍ د پلي کېدو پرمختګ هر کال په یوه عامه راپور کې ارزول کېږي.",
    ),
    "ur": Translated(
        tag="ur-PK",
        right_to_left=True,
        sentences=(
            "بیرون ملک پاکستانیوں کی ہجرت اور فلاح و بہبود کی قومی پالیسی",
            (
                "ہجرت ملک کی معیشت اور معاشرے میں اہم کردار ادا کرتی ہے اور بیرون ملک "
                "پاکستانیوں کی ترسیلات زر لاکھوں گھرانوں کا سہارا ہیں"
            ),
            (
                "یہ پالیسی بیرون ملک کام کرنے والے پاکستانیوں اور ان کے خاندانوں کے "
                "حقوق اور فلاح کا تحفظ کرتی ہے"
            ),
            (
                "متعلقہ وزارت اس پالیسی کے نفاذ کی قیادت کرتی ہے اور بین الوزارتی کمیٹی "
                "کی صدارت کرتی ہے"
            ),
            (
                "واپس آنے والے کارکنوں کو روزگار، رہائش اور سرکاری خدمات تک رسائی کے "
                "ذریعے معاشرے میں دوبارہ شامل کیا جاتا ہے"
            ),
        ),
        revision=(
            "اس پالیسی پر عمل درآمد کی پیش رفت کا ہر سال ایک عوامی رپورٹ میں جائزہ لیا جاتا ہے"
        ),
    ),
    "ar": Translated(
        tag="ar-IQ",
        right_to_left=True,
        sentences=(
            "سياسة التواصل مع العراقيين في الخارج",
            "تؤدي الهجرة دوراً مهماً في اقتصاد البلد ومجتمعه، وتعيل تحويلات المغتربين آلاف الأسر.",
            "تحمي هذه السياسة حقوق العراقيين في الخارج وأسرهم في جميع مراحل الهجرة.",
            "تقود الوزارة المعنية تنفيذ هذه السياسة وترأس لجنة توجيهية مشتركة بين الوزارات.",
            (
                "يُعاد دمج العائدين في المجتمع من خلال فرص كسب العيش والسكن والوصول إلى "
                "الخدمات العامة."
            ),
        ),
        revision="يُقيَّم التقدم في تنفيذ هذه السياسة كل عام في تقرير علني.",
    ),
    # Kurmanji, written in Latin letters (CLDR's "ku").
    "ku": Translated(
        tag="ku",
        right_to_left=False,
        sentences=(
            "Polîtîkaya Têkiliya bi Iraqiyên li Derveyî Welêt re",
            (
                "Koçberî di aborî û civaka welêt de rolekî girîng dilîze û pereyên ku "
                "koçber dişînin debara gelek malbatan dikin."
            ),
            (
                "Ev polîtîka mafên Iraqiyên li derveyî welêt û malbatên wan di hemû "
                "qonaxên koçberiyê de diparêze."
            ),
            (
                "Wezareta berpirsiyar pêkanîna vê polîtîkayê bi rê ve dibe û serokatiya "
                "komîteyeke navwezaretî dike."
            ),
            (
                "Kesên ku vedigerin bi derfetên kar, xanî û gihîştina xizmetên giştî ji "
                "nû ve di civakê de cih digirin."
            ),
        ),
        revision="Pêşketina pêkanîna vê polîtîkayê her sal di raporeke giştî de tê nirxandin.",
    ),
}


def render_translation(code, number):
    """The .docx bytes of version ``number`` of a seed policy in language ``code``."""
    translated = TRANSLATED[code]
    language = NationalLanguage(
        name=code, tag=translated.tag, heading="", summary="", consultation=""
    )
    document = Document()
    document.core_properties.created = DRAFTED
    document.core_properties.modified = DRAFTED + datetime.timedelta(days=30 * (number - 1))
    sentences = list(translated.sentences)
    if number > 1:
        sentences.append(translated.revision)
    for index, sentence in enumerate(sentences):
        style = "Title" if index == 0 else None
        if translated.right_to_left:
            _add_right_to_left(document, sentence, language, style=style)
        else:
            document.add_paragraph(sentence, style=style)
    return document_bytes(document)
