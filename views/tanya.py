"""Tanya: a short answer built from the knowledge base alone, each sentence with its source."""

import streamlit as st

from rujukan.answer import answer_question, starter_questions
from rujukan.errors import RujukanError
from rujukan.i18n import t
from rujukan.practices import Source, source_name
from rujukan.search import Filters
from rujukan.vocabulary import section_label
from views import ui

lang = ui.lang()
kb = ui.knowledge()
st.title(t("nav.ask", lang))
st.write(t("ask.intro", lang))
ui.show_problems(kb)

was_cut = ui.cut_long_text("tanya")  # a pasted document would make a URL no browser can reopen
question = st.text_input(t("ask.label", lang), placeholder=t("ask.placeholder", lang), key="tanya", bind="query-params")
regions = ui.reference_regions(kb, key="tanya_ref")

if not (question and question.strip()):
    st.subheader(t("home.starter_title", lang))
    for q in starter_questions(kb, lang):
        st.page_link("views/tanya.py", label=ui.text(q), query_params={"tanya": q, ui.REFERENCE_PARAM: list(regions)}, icon=":material/help:")
    st.stop()

engine = ui.answers_ready().engine
try:
    answer = answer_question(engine, question, filters=Filters(regions=regions) if regions else None)
except RujukanError as exc:  # e.g. the Chroma server stopped answering: say which, keep the page
    ui.fail(exc)
practices = kb.by_id()
top = answer.citations[0].practice_id if answer.citations else (answer.closest[0][0] if answer.closest else None)
event = ui.log_once("ask", answer.question, len(answer.citations), top, answer.confidence, answer.declined)

for notice in ui.query_notices(answer.notices, was_cut):  # said, not hidden
    st.info(t(f"notice.{notice}", lang))
if answer.declined and answer.reason in ("empty", "no_words"):
    pass  # the notice says why; no practice is "closest" to a question without words
elif answer.declined:
    st.warning(t("ask.declined", lang))
    for pid, _title in answer.closest:
        if pid in practices:
            ui.practice_link(practices[pid])
else:
    st.subheader(t("ask.answer", lang))
    cited = [Source(c.number, c.source_url, c.source_title, "", "") for c in answer.citations]
    st.markdown(ui.body(answer.answer, cited))
    if answer.weak:
        st.warning(t("ask.weak", lang), icon=":material/warning:")
    st.caption(f"{t('ask.confidence', lang)} {answer.confidence:.2f} ({t('ask.confidence_note', lang)})")
    st.subheader(t("ask.citations", lang))
    for c in answer.citations:
        if c.document_id:  # a sentence of an attached document: cited to its page, opened there
            st.markdown(f"**[{c.number}]** {ui.text(c.practice_title)} — {t('document.cited', lang, title=ui.text(c.document_title), page=c.page)}")
            if c.document_id in engine.documents:
                ui.document_link(engine.documents[c.document_id], c.page)
            continue
        cited_source = practices[c.practice_id].source(c.source_number) if c.source_number and c.practice_id in practices else None
        label = source_name(cited_source, lang) if cited_source else c.source_title or t("source.title_unknown", lang)  # never the address as a title
        source = ui.source_link(label, c.source_url) if c.source_url else t("ask.no_source", lang)
        st.markdown(f"**[{c.number}]** {ui.text(c.practice_title)} — {section_label(c.section, lang)} — {source}")
        if c.practice_id in practices:
            ui.practice_link(practices[c.practice_id])
ui.feedback_widget(event, key=f"ask::{answer.question}", practice_id=top, with_comment=True)

if answer.followups:
    st.subheader(t("ask.followups", lang))
    for q in answer.followups:
        st.page_link("views/tanya.py", label=ui.text(q), query_params={"tanya": q, ui.REFERENCE_PARAM: list(regions)}, icon=":material/help:")

store = ui.feedback_store()
history = store.session_events(ui.session_id(), limit=10) if store else []
if len(history) > 1:
    with st.expander(t("ask.your_history", lang)):
        for event in (e for e in history if e["kind"] == "ask"):
            st.page_link("views/tanya.py", label=ui.text(event["text"][:120]), query_params={"tanya": event["text"]})
