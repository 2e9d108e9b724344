"""The sentences of the /verify page, in each shipped language.

These are machine-assisted draft translations, like the shipped handouts, and need the same review by a
professional translator before a clinic relies on them. A language the clinic adds without sentences here is
reported when the server starts, and its /verify page uses the clinic's source language (never silently).
"""

from __future__ import annotations

KEYS = ("heading", "current", "outdated", "unknown", "changed_content", "changed_version", "changed_review",
        "not_reviewed")

MESSAGES: dict[str, dict[str, str]] = {
    "en": {
        "heading": "Is this handout current?",
        "current": "Yes. This handout is current: it matches the clinic's latest version.",
        "outdated": "No. This handout is out of date. Ask the clinic for a new copy.",
        "unknown": "This handout could not be checked. Ask the clinic for a new copy.",
        "changed_content": "The text has changed since it was printed.",
        "changed_version": "Version {old} is now version {new}.",
        "changed_review": "Its review state has changed.",
        "not_reviewed": "This version has not been reviewed by a clinician yet.",
    },
    "es": {
        "heading": "¿Está al día esta hoja informativa?",
        "current": "Sí. Esta hoja informativa está al día: coincide con la versión más reciente de la clínica.",
        "outdated": "No. Esta hoja informativa está desactualizada. Pida a la clínica una copia nueva.",
        "unknown": "No se pudo comprobar esta hoja informativa. Pida a la clínica una copia nueva.",
        "changed_content": "El texto ha cambiado desde que se imprimió.",
        "changed_version": "La versión {old} es ahora la versión {new}.",
        "changed_review": "Su estado de revisión ha cambiado.",
        "not_reviewed": "Esta versión todavía no ha sido revisada por un profesional clínico.",
    },
    "ar": {
        "heading": "هل هذه النشرة محدَّثة؟",
        "current": "نعم. هذه النشرة محدَّثة: فهي تطابق أحدث نسخة لدى العيادة.",
        "outdated": "لا. هذه النشرة قديمة. اطلب من العيادة نسخة جديدة.",
        "unknown": "تعذَّر التحقق من هذه النشرة. اطلب من العيادة نسخة جديدة.",
        "changed_content": "تغيَّر النص منذ طباعتها.",
        "changed_version": "أصبح الإصدار {old} الآن الإصدار {new}.",
        "changed_review": "تغيَّرت حالة مراجعتها.",
        "not_reviewed": "لم يراجع أحد الأطباء هذه النسخة بعد.",
    },
    "zh-Hans": {
        "heading": "这份资料是最新的吗？",
        "current": "是的。这份资料是最新的：与诊所的最新版本一致。",
        "outdated": "不是。这份资料已过期。请向诊所索取新的一份。",
        "unknown": "无法核实这份资料。请向诊所索取新的一份。",
        "changed_content": "打印之后，文字已有更改。",
        "changed_version": "版本 {old} 现已更新为版本 {new}。",
        "changed_review": "其审核状态已更改。",
        "not_reviewed": "此版本尚未经过临床医生审核。",
    },
    "vi": {
        "heading": "Tài liệu này có còn mới không?",
        "current": "Có. Tài liệu này còn mới: trùng khớp với phiên bản mới nhất của phòng khám.",
        "outdated": "Không. Tài liệu này đã cũ. Hãy xin phòng khám một bản mới.",
        "unknown": "Không thể kiểm tra tài liệu này. Hãy xin phòng khám một bản mới.",
        "changed_content": "Nội dung đã thay đổi kể từ khi được in.",
        "changed_version": "Phiên bản {old} nay là phiên bản {new}.",
        "changed_review": "Tình trạng xem xét của tài liệu đã thay đổi.",
        "not_reviewed": "Phiên bản này chưa được bác sĩ xem xét.",
    },
    "ru": {
        "heading": "Актуальна ли эта памятка?",
        "current": "Да. Эта памятка актуальна: она совпадает с последней версией клиники.",
        "outdated": "Нет. Эта памятка устарела. Попросите в клинике новый экземпляр.",
        "unknown": "Эту памятку не удалось проверить. Попросите в клинике новый экземпляр.",
        "changed_content": "Текст изменился с момента печати.",
        "changed_version": "Версия {old} заменена версией {new}.",
        "changed_review": "Изменился статус её проверки.",
        "not_reviewed": "Эта версия ещё не проверена врачом.",
    },
}


def missing_languages(languages: list[str]) -> list[str]:
    """The clinic's languages that have no /verify sentences here."""
    return [lang for lang in languages if lang not in MESSAGES]


def messages_for(lang: str, fallback: str) -> tuple[str, dict[str, str]]:
    """The language the page is written in, and its sentences: the handout's language, else the fallback."""
    for code in (lang, fallback, "en"):
        if code in MESSAGES:
            return code, MESSAGES[code]
    return "en", MESSAGES["en"]
