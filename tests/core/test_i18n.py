"""Chinese first, with an English switch that every page follows."""

import pytest

pytestmark = pytest.mark.django_db


def test_pages_are_chinese_by_default_and_english_after_the_switch(persona):
    c = persona("staff_a")
    assert "我的待办" in c.get("/inbox/").content.decode()
    r = c.post("/i18n/setlang/", {"language": "en", "next": "/inbox/"}, follow=True)
    page = r.content.decode()
    assert "My inbox" in page and "我的待办" not in page
    c.post("/i18n/setlang/", {"language": "zh-hans", "next": "/inbox/"})
    assert "我的待办" in c.get("/inbox/").content.decode()


def test_every_message_has_an_english_translation_plural_forms_included():
    from pathlib import Path

    import polib

    po = polib.pofile(str(Path(__file__).parents[2] / "jiceng/locale/en/LC_MESSAGES/django.po"))
    untranslated = [
        e.msgid
        for e in po
        if not e.obsolete and not (all(e.msgstr_plural.values()) if e.msgid_plural else e.msgstr)
    ]
    assert untranslated == []
    # makemessages guesses a new message's translation from a similar one and marks it fuzzy;
    # compilemessages leaves fuzzy entries out, so the page would show the Chinese
    guessed = [e.msgid for e in po if e.msgid and "fuzzy" in e.flags]
    assert guessed == []


def test_a_server_error_page_says_in_chinese_that_nothing_was_changed(rf):
    from django.views.defaults import server_error

    page = server_error(rf.get("/")).content.decode()
    assert "服务器出错" in page and "没有改动" in page and "Server error" in page
    assert "jiceng.css" in page  # styled like every other page
