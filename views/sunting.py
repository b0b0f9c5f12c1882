"""Sunting praktik: curators correct or add a record, see its revisions, compare and restore them.

Visitors never sign in; without sign-in configured the page says how to turn it on. A signed-in
person edits only when RUJUKAN_CURATORS or RUJUKAN_ADMINS names them (rujukan.access).

The record is one draft, edited in two tabs: a form that follows the record's schema (the
default) and its Markdown text (for experts). Both are drawn on every run and kept in step: a
change in the form rewrites the text (rujukan.record_form.to_text), a change in the text refills
the form (from_text). A text the form cannot show as it is sets the form aside, saying why, until
the text is fixed."""

import dataclasses

import pandas as pd
import streamlit as st

from rujukan import record_form
from rujukan.bulk import MAX_BYTES, ImportRefused, import_table
from rujukan.errors import RujukanError
from rujukan.i18n import t
from rujukan.practices import KNOWN_FIELDS
from rujukan.revisions import FILE_DIFFERS, FIRST_SEEN, OUTSIDE, EditRefused, parse_text
from rujukan.vocabulary import DIMENSIONS, SECTION_BY_KEY, SECTIONS, STATUSES, dimension_label, section_label, status_label
from views import ui

lang = ui.lang()
SAID = {OUTSIDE: t("edit.outside_author", lang), FIRST_SEEN: t("edit.first_seen", lang), FILE_DIFFERS: t("edit.file_differs", lang)}
#: Each field of the form: its label and its help (keys of the string table).
LABELS = {
    "title": ("record_form.title", "record_form.title_help"),
    "title_en": ("record_form.title_en", "record_form.title_en_help"),
    "summary": ("record_form.summary", "record_form.summary_help"),
    "summary_en": ("record_form.summary_en", "record_form.summary_en_help"),
    "region_code": ("record_form.region_code", "record_form.region_code_help"),
    "region_name": ("record_form.region_name", "record_form.region_name_help"),
    "dimensions": ("record_form.dimensions", "record_form.dimensions_help"),
    "agency": ("record_form.agency", "record_form.unknown_help"),
    "started": ("record_form.started", "record_form.date_help"),
    "ended": ("record_form.ended", "record_form.ended_help"),
    "status": ("record_form.status", "record_form.status_help"),
    "legal_basis": ("record_form.legal_basis", "record_form.lines_help"),
    "budget": ("record_form.budget", "record_form.budget_help"),
    "keywords": ("record_form.keywords", "record_form.keywords_help"),
    "related": ("record_form.related", "record_form.related_help"),
    "uncertain": ("record_form.uncertain", "record_form.uncertain_help"),
    "last_verified": ("record_form.last_verified", "record_form.last_verified_help"),
}
#: The tables' columns: label and help.
COLUMNS = {
    "sources": {"url": ("record_form.col_url", "record_form.col_url_help"), "title": ("record_form.col_title", "record_form.col_title_help"),
                "publisher": ("record_form.col_publisher", "record_form.unknown_help"), "date": ("record_form.col_date", "record_form.col_date_help")},
    "replicated_by": {"region": ("record_form.col_region", "record_form.col_region_help"),
                      "date": ("record_form.col_visit_date", "record_form.col_date_help"),
                      "what": ("record_form.col_what", "record_form.col_what_help"),
                      "source": ("record_form.col_source", "record_form.col_source_help")},
}


def said(value: str) -> str:
    """What the store wrote for a change found in the file, in the interface's language; anything else as typed."""
    return SAID.get(value, value)


def show_problems(problems: list) -> None:
    """A record's problems, each naming its field."""
    st.error(t("edit.problems", lang, n=len(problems)) + "\n\n" + "\n".join(f"- **{ui.text(p.field)}**: {ui.text(p.message)}" for p in problems))


def label(name: str) -> str:
    return t(LABELS[name][0], lang)


def hint(name: str) -> str:
    return t(LABELS[name][1], lang)


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
                      format_func=lambda i: t("edit.new", lang) if i == NEW else (ui.title_of(kb.get(i)) if kb.get(i) else i), key="edit_pick")
if choice == NEW:
    practice_id = st.text_input(t("edit.new_id", lang), key="edit_new_id").strip()
    latest = None
    starting = record_form.to_text(record_form.new_record(practice_id))  # Kota Kediri, status unknown, the rest empty (unknown)
else:
    practice_id = choice
    st.query_params["practice"] = choice
    with ui.report_errors():
        latest = store.latest(choice)
    starting = latest.text if latest else ""
    if latest:
        st.caption(t("edit.based_on", lang, number=latest.number, author=ui.text(said(latest.author)), created=latest.created))
slots = {"id": st.container()}  # where the validator's messages go, field by field (filled once the record is checked)

# The draft is the Markdown text box's value. It starts from the revision shown; its base revision
# is kept with it, so a save after someone else's is refused with the difference instead of
# overwriting it.
key = f"edit_text::{choice}"
if key not in st.session_state or st.session_state.get(f"{key}::base") != (latest.number if latest else None) and not st.session_state.get(f"{key}::dirty"):
    st.session_state[key] = starting
    st.session_state[f"{key}::base"] = latest.number if latest else None
    st.session_state["edit_new_id::applied"] = practice_id
if choice == NEW and st.session_state.get("edit_new_id::applied") != practice_id:  # the new id names the record
    try:
        renamed = record_form.from_text(st.session_state[key])
    except record_form.FormError:
        pass  # the text tab shows the id as typed; the check names what is wrong
    else:
        st.session_state[key] = record_form.to_text(dataclasses.replace(renamed, id=practice_id))
    st.session_state["edit_new_id::applied"] = practice_id

# The form is filled from the draft whenever the draft changed outside it (the Markdown tab, a
# restore, a newer revision) or its widgets are gone (another record was shown meanwhile).
F = f"form::{choice}"


def fk(name: str) -> str:
    return f"{F}::{name}"


if st.session_state.get(fk("text")) != st.session_state[key] or fk("title") not in st.session_state:
    try:
        filled = record_form.from_text(st.session_state[key])
    except record_form.FormError as exc:
        filled, st.session_state[fk("error")] = None, str(exc)
    else:
        st.session_state[fk("error")] = None
        for name in ("title", "title_en", "summary", "summary_en", "region_code", "region_name", "agency", "started", "ended", "status", "budget",
                     "last_verified"):
            st.session_state[fk(name)] = getattr(filled, name)
        for name in ("dimensions", "related", "uncertain"):
            st.session_state[fk(name)] = list(getattr(filled, name))
        for name in record_form.LINE_LISTS:
            st.session_state[fk(name)] = "\n".join(getattr(filled, name))
        for section, text in filled.sections.items():
            st.session_state[fk(f"body_{section}")] = text
        version = st.session_state.get(fk("version"), 0) + 1  # a table editor is filled anew under a new key
        st.session_state[fk("version")] = version
        st.session_state[fk("tables")] = {name: record_form.table_records(getattr(filled, name)) for name in record_form.TABLES}
    st.session_state[fk("values")] = filled
    st.session_state[fk("text")] = st.session_state[key]


def errors_here(name: str) -> None:
    """A place right under a field for the validator's messages about it."""
    slots[name] = st.container()


def field_name(name: str) -> str:
    """A form field as the form labels it ("sources[2].url": the Sources table); one the form does not show, as the record names it."""
    cell = record_form.table_cell(name)
    if cell:
        return t("record_form.part_sources" if cell[0] == "sources" else "record_form.part_visits", lang)
    if name.startswith("sections."):
        return section_label(name.removeprefix("sections."), lang)
    if name.startswith("region"):
        return label("region_code" if name == "region.code" else "region_name")
    return label(name) if name in LABELS else ui.text(name)


def choices(name: str, allowed: list[str]) -> list[str]:
    """A picker's options: the allowed values, and any other value the record has (so it shows, and can be removed)."""
    return list(dict.fromkeys([*allowed, *st.session_state.get(fk(name), [])]))


#: How wide each table column starts.
WIDTHS = {"url": "medium", "title": "medium", "publisher": "medium", "date": "small", "region": "medium", "what": "large", "source": "small"}


def table(name: str, numbered: str) -> list[dict]:
    """A table of rows (sources, visits) with one column per cell and its row number, rows added and deleted freely."""
    config = {column: (st.column_config.NumberColumn(t(lab, lang), help=t(tip, lang), min_value=1, step=1, format="%d", width="small")
                       if column == "source" else st.column_config.TextColumn(t(lab, lang), help=t(tip, lang), width=WIDTHS[column]))
              for column, (lab, tip) in COLUMNS[name].items()}
    config["_index"] = st.column_config.NumberColumn(numbered, disabled=True, width=40)
    frame = pd.DataFrame(st.session_state[fk("tables")][name], columns=list(COLUMNS[name]))
    if "source" in frame:
        frame["source"] = frame["source"].astype("Int64")  # a whole number, or empty
    frame.index = pd.RangeIndex(1, len(frame) + 1)  # row n is source [n]; an added row gets the next number
    edited = st.data_editor(frame, num_rows="dynamic", hide_index=False, column_config=config, width="stretch",
                            key=fk(f"{name}.{st.session_state[fk('version')]}"))
    kept = [int(n) if n <= len(frame) else None for n in edited.index]  # each row's number before (None: a row just added)
    if len([n for n in kept if n is not None]) < len(frame):
        deleted[name] = (kept, len(frame))
    return edited.to_dict("records")


def draw_form(values: record_form.FormValues) -> record_form.FormValues:
    """The form's widgets (filled from the session), each with its messages' place; the values they now hold."""
    st.markdown(f"#### {t('record_form.part_identity', lang)}")
    left, right = st.columns(2)
    with left:
        title = st.text_input(label("title"), help=hint("title"), key=fk("title"))
        errors_here("title")
        summary = st.text_area(label("summary"), help=hint("summary"), key=fk("summary"), height=150)
        errors_here("summary")
    with right:
        title_en = st.text_input(label("title_en"), help=hint("title_en"), key=fk("title_en"))
        errors_here("title_en")
        summary_en = st.text_area(label("summary_en"), help=hint("summary_en"), key=fk("summary_en"), height=150)
        errors_here("summary_en")

    st.markdown(f"#### {t('record_form.part_practice', lang)}")
    left, right = st.columns(2)
    with left:
        code = st.text_input(label("region_code"), help=hint("region_code"), key=fk("region_code"))
        errors_here("region.code")
    with right:
        region = st.text_input(label("region_name"), help=hint("region_name"), key=fk("region_name"))
        errors_here("region.name")
    errors_here("region")
    dims = st.multiselect(label("dimensions"), choices("dimensions", list(DIMENSIONS)), format_func=lambda d: dimension_label(d, lang),
                          help=hint("dimensions"), key=fk("dimensions"), placeholder=t("common.choose", lang))
    errors_here("dimensions")
    agency = st.text_input(label("agency"), help=hint("agency"), key=fk("agency"))
    errors_here("agency")
    left, middle, right = st.columns(3)
    with left:
        started = st.text_input(label("started"), help=hint("started"), key=fk("started"))
        errors_here("started")
    with middle:
        ended = st.text_input(label("ended"), help=hint("ended"), key=fk("ended"))
        errors_here("ended")
    with right:
        status_options = list(dict.fromkeys([*STATUSES, st.session_state.get(fk("status"), "")]))
        status = st.selectbox(label("status"), status_options, help=hint("status"), key=fk("status"),
                              format_func=lambda s: status_label(s, lang) if s in STATUSES else (s or "—"))
        errors_here("status")
    legal = st.text_area(label("legal_basis"), help=hint("legal_basis"), key=fk("legal_basis"), height=90)
    errors_here("legal_basis")
    budget = st.text_input(label("budget"), help=hint("budget"), key=fk("budget"))
    errors_here("budget")

    st.markdown(f"#### {t('record_form.part_sources', lang)}")
    st.caption(t("record_form.sources_intro", lang))
    sources = table("sources", "[n]")
    if st.session_state.get(fk("notice")):  # a deletion just undone, and why
        st.warning(st.session_state.pop(fk("notice")), icon=":material/undo:")
    errors_here("sources")

    st.markdown(f"#### {t('record_form.part_body', lang)}")
    st.caption(t("record_form.body_intro", lang))
    sections = {}
    for section in record_form.SECTION_KEYS:
        required = SECTIONS[SECTION_BY_KEY[section]][1]
        sections[section] = st.text_area(section_label(section, lang) + (f" ({t('record_form.required', lang)})" if required else ""),
                                         help=t("record_form.section_help" if required else "record_form.optional_section_help", lang),
                                         key=fk(f"body_{section}"), height=160)
        errors_here(f"sections.{section}")

    st.markdown(f"#### {t('record_form.part_visits', lang)}")
    st.caption(t("record_form.visits_intro", lang))
    visits = table("replicated_by", "#")
    errors_here("replicated_by")

    st.markdown(f"#### {t('record_form.part_search', lang)}")
    keywords = st.text_area(label("keywords"), help=hint("keywords"), key=fk("keywords"), height=150)
    errors_here("keywords")
    others = [i for i in ids if i != values.id]
    related = st.multiselect(label("related"), choices("related", others), help=hint("related"), key=fk("related"), placeholder=t("common.choose", lang),
                             format_func=lambda i: f"{ui.title_of(kb.get(i))} ({i})" if kb.get(i) else i)
    errors_here("related")
    uncertain = st.multiselect(label("uncertain"), choices("uncertain", sorted(KNOWN_FIELDS)), help=hint("uncertain"), key=fk("uncertain"),
                               placeholder=t("common.choose", lang), format_func=lambda f: f"{label(f)} ({f})" if f in LABELS else f)
    errors_here("uncertain")
    verified = st.text_input(label("last_verified"), help=hint("last_verified"), key=fk("last_verified"))
    errors_here("last_verified")
    return dataclasses.replace(
        values, title=title, title_en=title_en, summary=summary, summary_en=summary_en, region_code=code, region_name=region,
        dimensions=list(dims), agency=agency, started=started, ended=ended, status=status, legal_basis=record_form.lines(legal), budget=budget,
        keywords=record_form.lines(keywords), related=list(related), uncertain=list(uncertain), last_verified=verified,
        sources=record_form.source_rows(sources), replicated_by=record_form.visit_rows(visits), sections=sections)


deleted: dict[str, tuple[list[int | None], int]] = {}  # a table rows were deleted from: the rows' numbers before, and how many there were
top = st.container()  # the count of problems, and those that name no field of the form
form_tab, text_tab = st.tabs([t("record_form.tab_form", lang), t("record_form.tab_text", lang)])
values = st.session_state[fk("values")]
with form_tab:
    if values is None:
        st.warning(t("record_form.unavailable", lang, reason=ui.text(st.session_state[fk("error")] or "")), icon=":material/edit_off:")
    else:
        shown = draw_form(values)
        if "sources" in deleted:  # the citations follow their sources to their new numbers; a source still cited is not deleted
            try:
                shown = record_form.renumber_sources(shown, *deleted["sources"])
            except record_form.CitedSource as exc:
                st.session_state[fk("notice")] = t("record_form.cited_row", lang, cited="; ".join(
                    f"[{n}]: {', '.join(field_name(w) for w in where)}" for n, where in exc.cited.items()))
                shown = values
        if shown != values:  # the form changed: the draft (the Markdown text) follows it
            st.session_state[key] = st.session_state[fk("text")] = record_form.to_text(shown)
            st.session_state[fk("values")] = values = shown
            st.session_state[f"{key}::dirty"] = True
        if deleted:  # the form is filled again from the draft, each table numbered 1, 2, … as the text is
            st.session_state.pop(fk("text"), None)
            st.rerun()
with text_tab:
    edited = st.text_area(t("edit.text", lang), key=key, height=480, on_change=lambda: st.session_state.update({f"{key}::dirty": True}))
    text_problems = st.container()
edited = st.session_state[key]

reason = st.text_input(t("edit.reason", lang), key=f"edit_reason::{choice}")
check, save = st.columns(2)
checking = check.button(t("edit.check", lang), key="edit_check", width="stretch")
saving = save.button(t("edit.save", lang), key="edit_save", type="primary", width="stretch", disabled=not practice_id)
below = st.container()  # beside the buttons: where the problems are, for whoever saved from the bottom of a long form

problems: list = []
if saving and practice_id:  # the store checks the record itself before anything is written
    try:
        saved = store.save(practice_id, edited, curator.who, reason, st.session_state.get(f"{key}::base"))
    except EditRefused as exc:
        if exc.problems:
            problems = exc.problems
            st.session_state[fk("checking")] = True  # from now on the messages follow the draft
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
        st.session_state[fk("checking")] = False
        st.session_state.pop(fk("text"), None)  # the form is filled again from the saved text on the next run
        st.success(t("edit.saved", lang, number=saved.number))
        with st.spinner(t("edit.indexing", lang)):
            ui.ready()  # the records' signature changed: only this practice is embedded again
elif checking and practice_id:
    practice, problems = parse_text(practice_id, edited, set(ids))
    st.session_state[fk("checking")] = bool(problems)
    if practice is not None and not problems:
        st.success(t("edit.valid", lang))
        with st.container(border=True):
            ui.record(practice)
            ui.record_replications(practice)
            ui.record_sources(practice)
elif st.session_state.get(fk("checking")) and practice_id:
    problems = parse_text(practice_id, edited, set(ids))[1]


def slot_of(name: str) -> str | None:
    """The slot a form field's messages go in (a table's for its cells); None when the form does not show it."""
    cell = record_form.table_cell(name)
    place = cell[0] if cell else name
    return place if values is not None and name and place in slots else None


if problems:
    with text_problems:
        show_problems(problems)
    under: dict[str, list[str]] = {}
    for name, messages in record_form.problems_by_field(problems, values).items():
        place, cell = slot_of(name), record_form.table_cell(name)
        if place is None:
            continue
        where = ""
        if cell and cell[1] is not None:
            column = COLUMNS[cell[0]].get(cell[2] or "")
            where = t("record_form.row", lang, n=cell[1]) + (f", {t(column[0], lang)}" if column else "") + ": "
        under.setdefault(place, []).extend(f"{where}{ui.text(m)}" for m in messages)
    for place, lines in under.items():
        slots[place].error(lines[0] if len(lines) == 1 else "\n".join(f"- {line}" for line in lines), icon=":material/error:")
    loose = [p for p in problems if slot_of(record_form.form_field(p.field)) is None]
    named = dict.fromkeys(ui.text(p.field) if p in loose else field_name(record_form.form_field(p.field)) for p in problems)
    below.error(t("record_form.not_saved_at", lang, n=len(problems), fields=", ".join(named)), icon=":material/error:")
    top.error(t("record_form.problems_top" if loose else "record_form.problems_under", lang, n=len(problems))
              + ("\n\n" + "\n".join(f"- **{ui.text(p.field)}**: {ui.text(p.message)}" for p in loose) if loose else ""), icon=":material/error:")


if choice != NEW and kb.get(choice) is not None:
    record = kb.get(choice)
    st.subheader(t("edit.checked_title", lang))
    with st.form("checked", border=False):
        checked = st.multiselect(t("edit.checked_sources", lang), [s.number for s in record.sources],
                                 format_func=lambda n: f"[{n}] {record.source(n).title or record.source(n).url}", key="checked_sources",
                                 placeholder=t("common.choose", lang))
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
            shown_diff = store.diff(choice, older, newer)
            if shown_diff:
                st.code(shown_diff, language="diff")
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
    upload = st.file_uploader(t("edit.import_file", lang, limit=MAX_BYTES // 1024 // 1024), type=["csv", "xlsx"], key="import_file")
    why = st.text_input(t("edit.reason", lang), key="import_reason")
    if st.form_submit_button(t("edit.import_button", lang)) and upload is not None:
        try:
            imported = import_table(upload.getvalue(), upload.name, store, curator.who, why)
        except ImportRefused as exc:
            st.error(t("edit.import_refused", lang, n=len(exc.problems)) + "\n\n" + "\n".join(f"- {ui.text(p)}" for p in exc.problems[:100])
                     if exc.problems else ui.text(str(exc)))
        except RujukanError as exc:
            ui.show_error(exc)
        else:
            st.success(t("edit.imported", lang, n=len(imported), ids=ui.text(", ".join(r.practice_id for r in imported))))
            with st.spinner(t("edit.indexing", lang)):
                ui.ready()
