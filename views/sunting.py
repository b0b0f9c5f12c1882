"""Sunting praktik: curators correct or add a record, see its revisions, compare and restore them.

Visitors never sign in; without sign-in configured the page says how to turn it on. A signed-in
person edits only when RUJUKAN_CURATORS or RUJUKAN_ADMINS names them (rujukan.access)."""

import pandas as pd
import streamlit as st

from rujukan.bulk import MAX_BYTES, ImportRefused, import_table
from rujukan.errors import RujukanError
from rujukan.i18n import t
from rujukan.revisions import FILE_DIFFERS, FIRST_SEEN, OUTSIDE, EditRefused, parse_text
from views import ui

lang = ui.lang()
SAID = {OUTSIDE: t("edit.outside_author", lang), FIRST_SEEN: t("edit.first_seen", lang), FILE_DIFFERS: t("edit.file_differs", lang)}


def said(value: str) -> str:
    """What the store wrote for a change found in the file, in the interface's language; anything else as typed."""
    return SAID.get(value, value)


def show_problems(problems: list) -> None:
    """A record's problems, each naming its field."""
    st.error(t("edit.problems", lang, n=len(problems)) + "\n\n" + "\n".join(f"- **{ui.text(p.field)}**: {ui.text(p.message)}" for p in problems))


st.title(t("nav.edit", lang))
st.write(t("edit.intro", lang))

curator = ui.curator()  # says why not (sign-in not set up, not signed in, not a curator) and returns None
if curator is None:
    st.stop()

store = ui.revision_store()
kb = ui.knowledge()
ids = sorted(p.stem for p in ui.settings().practices_dir.glob("*.md"))
NEW = "__new__"
choice = st.selectbox(t("edit.pick", lang), [NEW, *ids], index=ids.index(st.query_params["practice"]) + 1
                      if st.query_params.get("practice") in ids else 0,
                      format_func=lambda i: t("edit.new", lang) if i == NEW else ui.text(ui.title_of(kb.get(i)) if kb.get(i) else i), key="edit_pick")
if choice == NEW:
    practice_id = st.text_input(t("edit.new_id", lang), key="edit_new_id").strip()
    latest = None
    starting = ""
else:
    practice_id = choice
    st.query_params["practice"] = choice
    with ui.report_errors():
        latest = store.latest(choice)
    starting = latest.text if latest else ""
    if latest:
        st.caption(t("edit.based_on", lang, number=latest.number, author=ui.text(said(latest.author)), created=latest.created))

# The text box starts from the revision shown; its base revision is kept with it, so a save
# after someone else's is refused with the difference instead of overwriting it.
key = f"edit_text::{choice}"
if key not in st.session_state or st.session_state.get(f"{key}::base") != (latest.number if latest else None) and not st.session_state.get(f"{key}::dirty"):
    st.session_state[key] = starting
    st.session_state[f"{key}::base"] = latest.number if latest else None
edited = st.text_area(t("edit.text", lang), key=key, height=480, on_change=lambda: st.session_state.update({f"{key}::dirty": True}))
reason = st.text_input(t("edit.reason", lang), key=f"edit_reason::{choice}")
check, save = st.columns(2)
checking = check.button(t("edit.check", lang), key="edit_check", use_container_width=True)
saving = save.button(t("edit.save", lang), key="edit_save", type="primary", use_container_width=True, disabled=not practice_id)

if saving and practice_id:  # the store checks the record itself before anything is written
    try:
        saved = store.save(practice_id, edited, curator.who, reason, st.session_state.get(f"{key}::base"))
    except EditRefused as exc:
        if exc.problems:
            show_problems(exc.problems)
        elif exc.conflict:
            st.error(t("edit.conflict", lang))
            st.code(exc.conflict, language="diff")
        else:
            ui.show_error(exc)
    except RujukanError as exc:
        ui.show_error(exc)
    else:
        st.session_state[f"{key}::base"] = saved.number
        st.session_state[f"{key}::dirty"] = False
        st.success(t("edit.saved", lang, number=saved.number))
        with st.spinner(t("edit.indexing", lang)):
            ui.ready()  # the records' signature changed: only this practice is embedded again
elif checking and practice_id:
    practice, problems = parse_text(practice_id, edited, set(ids))
    if problems:
        show_problems(problems)
    elif practice is not None:
        st.success(t("edit.valid", lang))
        with st.container(border=True):
            ui.record(practice)
            ui.record_replications(practice)
            ui.record_sources(practice)

if choice != NEW and kb.get(choice) is not None:
    record = kb.get(choice)
    st.subheader(t("edit.checked_title", lang))
    with st.form("checked", border=False):
        checked = st.multiselect(t("edit.checked_sources", lang), [s.number for s in record.sources],
                                 format_func=lambda n: ui.text(f"[{n}] {record.source(n).title or record.source(n).url}"), key="checked_sources")
        if st.form_submit_button(t("edit.checked_button", lang)):
            try:
                done = store.mark_checked(choice, curator.who, checked)
            except RujukanError as exc:
                ui.show_error(exc)
            else:
                st.success(t("edit.checked_done", lang, number=done.number))
                with st.spinner(t("edit.indexing", lang)):
                    ui.ready()

if choice != NEW:
    st.subheader(t("edit.history", lang))
    with ui.report_errors():
        history = store.history(choice)
        ui.table(pd.DataFrame([{t("edit.col_number", lang): r.number, t("edit.col_created", lang): r.created, t("edit.col_author", lang): said(r.author),
                                t("edit.col_reason", lang): said(r.reason)} for r in reversed(history)]), key="edit_history")
        numbers = [r.number for r in history]
        if len(numbers) > 1:
            left, right = st.columns(2)
            older = left.selectbox(t("edit.diff_from", lang), numbers, index=len(numbers) - 2, key="edit_older")
            newer = right.selectbox(t("edit.diff_to", lang), numbers, index=len(numbers) - 1, key="edit_newer")
            shown = store.diff(choice, older, newer)
            if shown:
                st.code(shown, language="diff")
            else:
                st.caption(t("edit.no_difference", lang))
            if older != numbers[-1] and st.button(t("edit.restore", lang, number=older), key="edit_restore"):
                restored = store.restore(choice, older, curator.who)
                st.session_state.pop(key, None)
                st.success(t("edit.restored", lang, number=older, new=restored.number))
                with st.spinner(t("edit.indexing", lang)):
                    ui.ready()

st.subheader(t("edit.import_title", lang))
st.caption(t("edit.import_intro", lang))
with st.form("import", border=False):
    table = st.file_uploader(t("edit.import_file", lang, limit=MAX_BYTES // 1024 // 1024), type=["csv", "xlsx"], key="import_file")
    why = st.text_input(t("edit.reason", lang), key="import_reason")
    if st.form_submit_button(t("edit.import_button", lang)) and table is not None:
        try:
            imported = import_table(table.getvalue(), table.name, store, curator.who, why)
        except ImportRefused as exc:
            st.error(t("edit.import_refused", lang, n=len(exc.problems)) + "\n\n" + "\n".join(f"- {ui.text(p)}" for p in exc.problems[:100])
                     if exc.problems else ui.text(str(exc)))
        except RujukanError as exc:
            ui.show_error(exc)
        else:
            st.success(t("edit.imported", lang, n=len(imported), ids=ui.text(", ".join(r.practice_id for r in imported))))
            with st.spinner(t("edit.indexing", lang)):
                ui.ready()
