"""Every output table's columns, types and meaning, in one place.

The runner passes each stage's output through :func:`conform` before writing it, so a table on
disk always has exactly these columns in this order, and `docs/tables.md` is generated from here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final, Literal

from pipeline.core import config

# pandas is imported where frames are made: `involve ingest` writes its tables without it.
if TYPE_CHECKING:
    import pandas as pd

Dtype = Literal["str", "int", "float", "bool", "date"]


@dataclass(frozen=True)
class Column:
    name: str
    dtype: Dtype
    description: str
    nullable: bool = False
    allowed: tuple[str, ...] | None = None


class SchemaError(ValueError):
    """A stage produced a table that does not match its schema (a bug, not bad input)."""


def _c(
    name: str,
    dtype: Dtype,
    description: str,
    *,
    nullable: bool = False,
    allowed: tuple[str, ...] | None = None,
) -> Column:
    return Column(name, dtype, description, nullable, allowed)


# The board-year figures with a bootstrap interval (pipeline.measure.intervals.STATISTICS, in its
# order), each a column of the study's comparison with its bounds beside it.
STUDY_MEASURES: Final = (
    "process_share",
    "action_share",
    "outcome_share",
    "mean_lay_present",
    "share_meetings_standard_met",
    "lay_voice_share",
    "collective_outcome_share",
    "uptake_rate",
    "lay_linked_collective_share",
    "level_3plus_share",
)

TABLES: Final[dict[str, tuple[Column, ...]]] = {
    "documents": (
        _c("doc_id", "str", "Stable id: first 12 hex digits of the content hash."),
        _c("source", "str", "Path of the file relative to the corpus folder."),
        _c("sha256", "str", "SHA-256 of the file's bytes.", nullable=True),
        _c(
            "doc_type",
            "str",
            "minutes, agenda, papers, action_log or other.",
            allowed=config.DOC_TYPES,
        ),
        _c(
            "body",
            "str",
            "Board or committee the document names in its title lines, if it names one.",
            nullable=True,
        ),
        _c(
            "meeting_date",
            "date",
            "Meeting date read from the text or the file name.",
            nullable=True,
        ),
        _c("pages", "int", "Pages (1 for formats without pages)."),
        _c("n_words", "int", "Words of body text after headers and footers are removed."),
        _c("ocr_pages", "int", "Pages whose text came from OCR."),
        _c(
            "ocr_confidence",
            "float",
            "Mean OCR word confidence (0-100) of OCR'd pages.",
            nullable=True,
        ),
        _c("extractor", "str", "Extractor and version that produced the text."),
        _c(
            "status",
            "str",
            "ok, warning, duplicate (same bytes as another file), same_meeting (minutes of a "
            "meeting another file holds more completely, counted once from there), skipped or "
            "error.",
            allowed=config.DOC_STATUSES,
        ),
        _c("message", "str", "What went wrong and how to fix it; empty when status is ok."),
    ),
    "pages": (
        _c("doc_id", "str", "Document."),
        _c("source", "str", "Path of the document relative to the corpus folder."),
        _c("page", "int", "Page number, 1-based (1 for formats without pages)."),
        _c(
            "text",
            "str",
            "Body text as the document has it, real names included: blocks separated by a "
            "blank line, running headers and footers taken out.",
        ),
        _c("header", "str", "Running header taken out of the page ('' when none)."),
        _c("footer", "str", "Running footer and page number taken out of the page."),
        _c("ocr", "bool", "Whether the page's text came from OCR."),
        _c(
            "ocr_confidence",
            "float",
            "Mean OCR word confidence (0-100) of an OCR'd page.",
            nullable=True,
        ),
    ),
    "meetings": (
        _c(
            "meeting_id",
            "str",
            "Meeting id: M plus the meeting date (a suffix if two share a date: two meetings "
            "the minutes' headings tell apart; the same meeting in two files is one, "
            "`pipeline/segment/same_meeting.py`).",
        ),
        _c("meeting_date", "date", "Date of the meeting.", nullable=True),
        _c("year", "int", "Calendar year of the meeting.", nullable=True),
        _c("doc_id", "str", "The minutes document the meeting was read from."),
        _c("source", "str", "Path of the minutes relative to the corpus folder."),
        _c(
            "members_present",
            "int",
            "Members listed as present, the chair included; empty when no list was read.",
            nullable=True,
        ),
        _c(
            "lay_present",
            "int",
            "Of those, service user, carer and lay members; empty when no list was read "
            "(unknown, not none).",
            nullable=True,
        ),
        _c("apologies", "int", "People who sent apologies."),
        _c("in_attendance", "int", "Officials and guests in attendance who are not members."),
        _c(
            "lay_standard_met",
            "bool",
            "At least two lay members present (NIP 4Pi Presence); empty when no list was read.",
            nullable=True,
        ),
        _c("has_attendance", "bool", "Whether an attendance list was read from the minutes."),
        _c("n_items", "int", "Agenda items found."),
        _c("n_units", "int", "Units (paragraphs) coded."),
    ),
    "attendance": (
        _c("meeting_id", "str", "Meeting."),
        _c("meeting_date", "date", "Date of the meeting.", nullable=True),
        _c("person_id", "str", "Pseudonym of the person, stable across the corpus."),
        _c("role", "str", "Role in the coding manual's terms.", allowed=config.PERSON_ROLES),
        _c(
            "status",
            "str",
            "present, apologies, in_attendance (officers and guests), public or absent.",
            allowed=config.ATTENDANCE_STATUSES,
        ),
        _c("role_source", "str", "Where the role came from: board.yaml or inferred from the list."),
    ),
    "text_accounting": (
        _c("doc_id", "str", "Document."),
        _c("source", "str", "Path of the document relative to the corpus folder."),
        _c(
            "place",
            "str",
            "Where these words ended: unit, attendance (lists), heading (titles and headings), "
            "furniture (running headers and footers, page numbers, signature lines), "
            "not_minutes (a document read but not analysed as minutes: an agenda, papers, or a "
            "second copy of a meeting read from another file), or unplaced.",
            allowed=config.TEXT_PLACES,
        ),
        _c("n_words", "int", "Words there (runs holding a letter or digit)."),
        _c("reason", "str", "Why the words are where they are, for unplaced and not_minutes rows."),
    ),
    "text_coverage": (
        _c(
            "year",
            "int",
            "0 for the whole run or one document; else the documents of that year's meetings.",
        ),
        _c("doc_id", "str", "The document, or '' for the whole run or a year."),
        _c("source", "str", "Its path relative to the corpus folder, or ''."),
        _c("n_words", "int", "Words of the documents (table text_accounting)."),
        *(
            _c(f"{place}_words", "int", f"Of those, words placed as {place} (text_accounting).")
            for place in config.TEXT_PLACES
        ),
        _c("unplaced_documents", "int", "Documents with unplaced words."),
        _c(
            "unit_word_share",
            "float",
            "unit_words over the words of the minutes (furniture and not_minutes aside); empty "
            "when no minutes were read. Below config.MIN_UNIT_WORD_SHARE the report warns.",
            nullable=True,
        ),
    ),
    "adequacy": (
        _c(
            "year",
            "int",
            "0 for the whole run; else the meetings of that year and their documents.",
        ),
        _c("documents", "int", "Documents in the corpus (of that year's meetings)."),
        _c(
            "documents_read",
            "int",
            "Of those, documents read: status ok or warning, or a copy of a meeting read from "
            "another file (duplicate, same_meeting).",
        ),
        _c("meetings", "int", "Meetings."),
        _c("meetings_with_attendance", "int", "Of those, meetings whose attendance list was read."),
        _c(
            "lay_people_present",
            "int",
            "Distinct service users, carers and lay members present at those meetings.",
        ),
    ),
    "segments": (
        _c("segment_id", "str", "Unit id: meeting id plus a running number."),
        _c("meeting_id", "str", "Meeting."),
        _c("meeting_date", "date", "Date of the meeting.", nullable=True),
        _c("doc_id", "str", "Document."),
        _c("source", "str", "Path of the document relative to the corpus folder."),
        _c("page", "int", "Page on which the unit starts (1-based)."),
        _c("item_no", "str", "Agenda item number as written ('' before the first item)."),
        _c("item_title", "str", "Agenda item title (pseudonymised)."),
        _c(
            "speaker_id",
            "str",
            "Pseudonym of the person the unit reports, '' when nobody is named.",
        ),
        _c("speaker_role", "str", "Role of that person, or none.", allowed=config.SPEAKER_ROLES),
        _c("text", "str", "The unit's text, people pseudonymised."),
        _c("n_words", "int", "Words in the unit."),
        _c("is_action", "bool", "The unit records an action for someone."),
        _c("is_decision", "bool", "The unit records a decision or resolution."),
        _c("action_owner", "str", "Pseudonym of the person an action is assigned to, or ''."),
        _c("theme", "str", "Theme id from the codebook, or 'other'."),
        _c("theme_score", "float", "Strength of the theme evidence (0-1)."),
        _c(
            "theme_source",
            "str",
            "Where the theme came from: human (an example given with --examples), trained (a "
            "model fitted on those examples) or zero-shot (the codebook alone).",
            allowed=("human", "trained", "zero-shot"),
        ),
        _c("focus", "str", "process, action or outcome.", allowed=config.FOCUS_LABELS),
        _c("focus_score", "float", "Confidence in the focus label (0-1)."),
        _c(
            "outcome_scope",
            "str",
            "individual or collective for outcomes, '' otherwise.",
            allowed=("", *config.SCOPE_LABELS),
        ),
        _c(
            "level",
            "int",
            "Involvement level 1-5 of the unit's item when lay members take part.",
            nullable=True,
        ),
        _c("unit_key", "str", "Hash of the unit's normalised original text, to join human coding."),
    ),
    "meeting_measures": (
        _c("meeting_id", "str", "Meeting."),
        _c("meeting_date", "date", "Date of the meeting.", nullable=True),
        _c("year", "int", "Calendar year.", nullable=True),
        _c("n_units", "int", "Units coded."),
        _c("n_words", "int", "Words in those units."),
        _c("process_share", "float", "Share of words in process units."),
        _c("action_share", "float", "Share of words in action units."),
        _c("outcome_share", "float", "Share of words in outcome units."),
        _c(
            "lay_present",
            "int",
            "Lay members present; empty when no list was read.",
            nullable=True,
        ),
        _c(
            "lay_standard_met",
            "bool",
            "At least two lay members present; empty when no list was read.",
            nullable=True,
        ),
        _c("attributed_units", "int", "Units attributed to a named person."),
        _c("lay_units", "int", "Units attributed to a lay member."),
        _c("lay_voice_share", "float", "Lay share of attributed units.", nullable=True),
        _c("outcomes_individual", "int", "Outcome units whose benefit is individual."),
        _c("outcomes_collective", "int", "Outcome units whose benefit is collective."),
        _c("lay_contributions", "int", "Lay contributions: units attributed to a lay member."),
        _c("lay_taken_up", "int", "Of those, contributions with at least one uptake link."),
        _c("uptake_rate", "float", "lay_taken_up / lay_contributions.", nullable=True),
        _c(
            "lay_linked_outcomes",
            "int",
            "Outcome units in this meeting linked to an earlier or same-item lay contribution.",
        ),
        _c("lay_linked_outcomes_collective", "int", "Of those, outcomes with collective benefit."),
        _c("n_items", "int", "Agenda items with at least one unit."),
        _c("items_with_lay_voice", "int", "Items in which a lay member speaks."),
        _c("lay_items", "int", "Items in which a lay member takes part (speaks or is named)."),
        *(
            _c(f"level_{n}", "int", f"Items with lay participation at involvement level {n}.")
            for n in range(1, 6)
        ),
        _c("level_3plus", "int", "Items at level 3 (doing together) or above."),
        _c(
            "timed_minutes",
            "float",
            "Minutes of the timed items, from the minutes or the agenda (table item_times).",
            nullable=True,
        ),
        *(
            _c(
                f"{f}_time_share",
                "float",
                f"Share of timed minutes in {f} units (table item_times; docs/measures.md).",
                nullable=True,
            )
            for f in config.FOCUS_LABELS
        ),
    ),
    "theme_attention": (
        _c("year", "int", "Calendar year, or 0 for all years together."),
        _c("theme", "str", "Theme id."),
        _c("label", "str", "Theme label."),
        _c("priority_rank", "int", "Rank of the priority in the survey (1 = named most)."),
        _c("survey_share", "float", "Share of respondents naming the priority.", nullable=True),
        _c("n_units", "int", "Units coded to the theme."),
        _c("n_words", "int", "Words in those units."),
        _c("word_share", "float", "Share of all coded words (themes and other)."),
        _c(
            "attention_rank",
            "float",
            "Rank by words among the survey themes (1 = most; ties averaged).",
        ),
        _c(
            "little_attention",
            "bool",
            "The minutes gave the priority less than config.LITTLE_ATTENTION_FRACTION of an even "
            "share of the words that went to survey priorities that year (or all years); false "
            "for 'other'. The report quotes these as neglected priorities.",
        ),
    ),
    "board_year": (
        _c("year", "int", "Calendar year."),
        _c("n_meetings", "int", "Meetings with minutes."),
        _c("n_units", "int", "Units coded."),
        _c("n_words", "int", "Words in those units."),
        _c("process_share", "float", "Share of words in process units."),
        _c("action_share", "float", "Share of words in action units."),
        _c("outcome_share", "float", "Share of words in outcome units."),
        _c(
            "meetings_with_attendance",
            "int",
            "Meetings whose attendance list was read: the meetings presence rests on.",
        ),
        _c(
            "lay_seats",
            "int",
            "Lay seats the body has, from board.yaml (0: none by design); empty when not given.",
            nullable=True,
        ),
        _c(
            "mean_lay_present",
            "float",
            "Mean lay members present per meeting with an attendance list; empty when none.",
            nullable=True,
        ),
        _c("meetings_standard_met", "int", "Meetings with at least two lay members present."),
        _c(
            "share_meetings_standard_met",
            "float",
            "Share of the meetings with an attendance list meeting the standard; empty when none.",
            nullable=True,
        ),
        _c("meetings_single_lay", "int", "Meetings with exactly one lay member present."),
        _c("attributed_units", "int", "Units attributed to a named person."),
        _c("lay_units", "int", "Units attributed to a lay member."),
        _c("lay_voice_share", "float", "Lay share of attributed units.", nullable=True),
        _c("outcome_units", "int", "Outcome units."),
        _c("outcomes_individual", "int", "Outcome units with individual benefit."),
        _c("outcomes_collective", "int", "Outcome units with collective benefit."),
        _c(
            "collective_outcome_share", "float", "Collective share of outcome units.", nullable=True
        ),
        _c(
            "alignment_rho",
            "float",
            "Spearman's rho: survey rank against attention rank.",
            nullable=True,
        ),
        _c("alignment_p", "float", "Two-sided p-value of rho.", nullable=True),
        _c("outcome_segment_ids", "str", "The outcome units behind the outcome counts (ids, ';')."),
        _c("lay_segment_ids", "str", "The lay-attributed units behind the voice share (ids, ';')."),
        _c("lay_contributions", "int", "Lay contributions (units attributed to a lay member)."),
        _c("lay_taken_up", "int", "Of those, contributions with at least one uptake link."),
        _c("uptake_rate", "float", "lay_taken_up / lay_contributions.", nullable=True),
        _c("lay_linked_outcomes", "int", "Outcome units linked to a lay contribution (uptake)."),
        _c("lay_linked_outcomes_collective", "int", "Of those, outcomes with collective benefit."),
        _c(
            "lay_linked_collective_share",
            "float",
            "lay_linked_outcomes_collective / lay_linked_outcomes.",
            nullable=True,
        ),
        _c("n_items", "int", "Agenda items with at least one unit."),
        _c("items_with_lay_voice", "int", "Items in which a lay member speaks."),
        _c("lay_items", "int", "Items in which a lay member takes part (table item_levels)."),
        *(
            _c(f"level_{n}", "int", f"Items with lay participation at involvement level {n}.")
            for n in range(1, 6)
        ),
        _c("level_3plus_share", "float", "Share of lay_items at level 3 or above.", nullable=True),
        _c(
            "lay_seat_share",
            "float",
            "Mean lay members present / mean members present: the voice share parity would give.",
            nullable=True,
        ),
        _c(
            "presence_score_mean",
            "float",
            "Presence component: mean lay present / ideal, capped; empty when not measurable.",
            nullable=True,
        ),
        _c(
            "presence_score_standard",
            "float",
            "Presence component: share meeting the standard; empty when not measurable.",
            nullable=True,
        ),
        _c(
            "presence_score_not_alone",
            "float",
            "Presence component: attended, not alone; empty when not measurable.",
            nullable=True,
        ),
        _c(
            "influence_score_voice",
            "float",
            "Influence component: voice / seat share, capped; empty when not measurable.",
            nullable=True,
        ),
        _c("influence_score_uptake", "float", "Influence component: uptake rate / full, capped."),
        _c("influence_score_level", "float", "Influence component: level 3+ share / full, capped."),
        _c(
            "influence_score_outcomes",
            "float",
            "Influence component: collective lay-linked outcomes per meeting / full, capped.",
        ),
        _c(
            "presence_axis",
            "float",
            "Mean of the three presence components (0-1); empty when not measurable.",
            nullable=True,
        ),
        _c(
            "influence_axis",
            "float",
            "Mean of the four influence components (0-1); empty when not measurable.",
            nullable=True,
        ),
        _c(
            "index_label",
            "str",
            "Symbolic-instrumental index: absent, symbolic, instrumental or leading; not "
            "measurable when presence could not be read (see index_reason); not applicable for a "
            "body without lay seats (board.yaml lay_seats: 0).",
            allowed=config.INDEX_LABELS,
        ),
        _c(
            "label_settings_tried",
            "int",
            "Threshold settings tried for this year (table index_sensitivity).",
        ),
        _c(
            "label_settings_same",
            "int",
            "Of those, the settings that give the year the label it has (index_label).",
        ),
        _c(
            "index_reason",
            "str",
            "Why the year is not measurable or not applicable; empty otherwise.",
        ),
        _c("lay_taken_up_ids", "str", "The lay contributions taken up (ids, ';')."),
        _c("lay_linked_outcome_ids", "str", "The outcomes linked to lay contributions (ids, ';')."),
        _c(
            "timed_minutes",
            "float",
            "Minutes of the year's timed items (table item_times).",
            nullable=True,
        ),
        _c(
            "timed_meetings",
            "int",
            "Of the year's meetings, those with timed items (timed_minutes above 0 in "
            "meeting_measures).",
        ),
        *(
            _c(
                f"{f}_time_share",
                "float",
                f"Share of the year's timed minutes in {f} units (docs/measures.md).",
                nullable=True,
            )
            for f in config.FOCUS_LABELS
        ),
    ),
    "year_intervals": (
        _c("year", "int", "Calendar year."),
        _c("measure", "str", "The board_year figure (see docs/measures.md)."),
        _c("estimate", "float", "The figure for the year, as in board_year.", nullable=True),
        _c("low", "float", "Lower bound of the bootstrap 95% interval.", nullable=True),
        _c("high", "float", "Upper bound of the bootstrap 95% interval.", nullable=True),
        _c("n_meetings", "int", "Meetings resampled."),
        _c("resamples", "int", "Bootstrap resamples (0: too few meetings for an interval)."),
    ),
    "item_levels": (
        _c("meeting_id", "str", "Meeting."),
        _c("meeting_date", "date", "Date of the meeting.", nullable=True),
        _c("year", "int", "Calendar year.", nullable=True),
        _c("item_no", "str", "Agenda item number as written."),
        _c("item_title", "str", "Agenda item title (pseudonymised)."),
        _c(
            "level",
            "int",
            "Involvement level 1-5 (coding manual; cues in pipeline/involvement/levels.py).",
        ),
        _c(
            "level_name",
            "str",
            "consultation, working together, doing together, deciding together or leading.",
        ),
        _c(
            "cue",
            "str",
            "The observed cue that set the level: lead, propose, adopted, shared_task, set_role, "
            "procedural or views.",
        ),
        _c("evidence_segment_id", "str", "The unit in which the cue was seen."),
        _c("evidence_text", "str", "Its text (pseudonymised, shortened)."),
        _c("lay_units", "int", "Units in the item attributed to a lay member."),
    ),
    "item_times": (
        _c("meeting_id", "str", "Meeting."),
        _c("item_no", "str", "Agenda item number as written."),
        _c("item_title", "str", "Agenda item title (pseudonymised; empty if it has no units)."),
        _c(
            "minutes",
            "float",
            "Minutes the item took or was allotted, where the minutes say "
            "(pipeline/segment/itemtimes.py).",
            nullable=True,
        ),
        _c(
            "source_of_time",
            "str",
            "stated_duration (a duration or a range on the heading), start_times (to the next "
            "item's start or the close) or none.",
            allowed=("stated_duration", "start_times", "none"),
        ),
        _c(
            "time_document",
            "str",
            "Where the time was read: minutes (taken), agenda (allotted, used only when the "
            "minutes give no times) or empty.",
            allowed=("minutes", "agenda", ""),
        ),
    ),
    "uptake": (
        _c("contribution_id", "str", "The lay contribution (segment id)."),
        _c("contribution_meeting_id", "str", "Meeting of the contribution."),
        _c("item_no", "str", "Agenda item of the contribution."),
        _c("speaker_id", "str", "Pseudonym of the lay member."),
        _c("speaker_role", "str", "service_user, carer or lay.", allowed=config.LAY_ROLES),
        _c("target_id", "str", "The later unit that acts on it (segment id)."),
        _c("target_meeting_id", "str", "Meeting of that unit."),
        _c("target_item_no", "str", "Agenda item of that unit."),
        _c("target_focus", "str", "Its focus.", allowed=config.FOCUS_LABELS),
        _c(
            "target_scope",
            "str",
            "Its outcome scope when it is an outcome, else ''.",
            allowed=("", *config.SCOPE_LABELS),
        ),
        _c(
            "link",
            "str",
            "reference (names the person or their point), or action, decision or outcome (close "
            "in meaning).",
            allowed=("reference", "action", "decision", "outcome"),
        ),
        _c("evidence", "str", "The target's text (pseudonymised, shortened)."),
        _c("similarity", "float", "Cosine similarity of contribution and target."),
    ),
    "index_sensitivity": (
        _c("year", "int", "Calendar year."),
        _c("parameter", "str", "The config constant varied (the others kept at their defaults)."),
        _c("value", "float", "Its value in this row."),
        _c("is_default", "bool", "Whether this is the value the index uses."),
        _c("presence_axis", "float", "Presence axis at this value.", nullable=True),
        _c("influence_axis", "float", "Influence axis at this value.", nullable=True),
        _c(
            "index_label",
            "str",
            "Label at this value.",
            allowed=config.INDEX_LABELS,
        ),
    ),
    "four_pi": (
        _c("year", "int", "Calendar year."),
        _c(
            "standard",
            "str",
            "The NIP 4Pi standard (pipeline/measure/fourpi.py).",
            allowed=config.FOUR_PI_STANDARDS,
        ),
        _c(
            "rating",
            "str",
            "met, partial or not evidenced (silence in the minutes, not a breach).",
            allowed=config.FOUR_PI_RATINGS,
        ),
        _c(
            "measured",
            "bool",
            "False when what the standard rests on (uptake, linked outcomes) was not measured, so "
            "the rating rests on what was.",
        ),
        _c(
            "n_units",
            "int",
            "Units counted: lay contributions (Principles), cue units (Purpose, Process), "
            "outcome units (Impact, when linked outcomes were not measured).",
        ),
        _c("n_meetings", "int", "Meetings counted: with purpose cues (Purpose), held (Presence)."),
        _c("aspects_found", "str", "Process aspects the minutes mention (';')."),
        _c(
            "aspects_missing",
            "str",
            "Process aspects of the lexicon the minutes do not mention (';'); '' for the other "
            "standards.",
        ),
        _c("evidence_segment_ids", "str", "The units behind the rating (';')."),
    ),
    "period": (
        _c("n_meetings", "int", "Meetings over the whole period."),
        _c(
            "meetings_without_attendance",
            "int",
            "Of those, meetings whose minutes have no attendance list (presence unknown).",
        ),
        _c("meetings_single_lay", "int", "Meetings with exactly one lay member present."),
        _c("n_units", "int", "Units over the whole period."),
        _c("attributed_units", "int", "Units attributed to a named person."),
        _c("lay_units", "int", "Of those, units by lay members."),
        _c("outcome_units", "int", "Units coded outcome."),
        _c("outcomes_individual", "int", "Outcome units benefiting individuals."),
        _c("outcomes_collective", "int", "Outcome units benefiting service users collectively."),
        _c(
            "lay_voice_share",
            "float",
            "lay_units / attributed_units over the whole period.",
            nullable=True,
        ),
    ),
    "alignment": (
        _c("year", "int", "Calendar year, or 0 for the whole period."),
        _c(
            "alignment_rho",
            "float",
            "Spearman's rho of survey rank against attention rank, as the report shows it: "
            "board_year's for a year, or from the survey themes' points where board_year has "
            "none (docs/measures.md).",
            nullable=True,
        ),
        _c("alignment_p", "float", "Its p-value.", nullable=True),
        _c("n_themes", "int", "Survey themes compared ('other' left out)."),
    ),
    "emergent_topics": (
        _c("topic_id", "int", "Topic number (BERTopic's, 0 = most units)."),
        _c("label", "str", "The topic's leading c-TF-IDF keywords."),
        _c("keywords", "str", "Its ten most distinctive words and phrases, best first (';')."),
        _c("n_units", "int", "Units in the topic."),
        _c("n_words", "int", "Words in those units."),
        _c("share_of_words", "float", "Share of all coded words (as theme_attention.word_share)."),
        _c(
            "kind",
            "str",
            "covered (by a survey theme), procedure (the board's own business) or emergent.",
            allowed=("covered", "procedure", "emergent"),
        ),
        _c("covered_by_theme", "str", "Theme id that covers the topic, '' when none does."),
        _c(
            "nearest_theme",
            "str",
            "The covering theme, else the theme with most of its words (else closest in meaning).",
        ),
        _c("theme_share", "float", "Share of the topic's words coded to the nearest theme."),
        _c(
            "similarity",
            "float",
            "Mean similarity of its units to the nearest theme (docs/measures.md).",
            nullable=True,
        ),
        _c("example_unit_id", "str", "The unit nearest the topic's centre (segments.segment_id)."),
        _c("example_text", "str", "That unit's text, people pseudonymised."),
        _c("meetings", "int", "Meetings at which the topic came up."),
        _c("segment_ids", "str", "The units in the topic (ids, ';')."),
    ),
    "study_board_year": (
        _c("board", "str", "The board's name in the study (its folder, or its study.yaml name)."),
        _c("board_name", "str", "The name its board.yaml gives; empty without one.", nullable=True),
        _c("year", "int", "Calendar year."),
        _c("n_meetings", "int", "Meetings with minutes (board_year.n_meetings)."),
        _c(
            "meetings_with_attendance",
            "int",
            "Meetings whose attendance list was read (board_year.meetings_with_attendance).",
        ),
        _c(
            "index_label",
            "str",
            "The year's symbolic-instrumental index (board_year.index_label).",
            allowed=config.INDEX_LABELS,
        ),
        _c("index_reason", "str", "Why not measurable or not applicable; empty otherwise."),
        _c("presence_axis", "float", "board_year.presence_axis.", nullable=True),
        _c("influence_axis", "float", "board_year.influence_axis.", nullable=True),
        _c(
            "too_few",
            "str",
            "The measures left empty, ';'-separated, because the count under them is below its "
            "minimum number (too few to conclude; README, What the figures rest on).",
        ),
        *(
            column
            for measure in STUDY_MEASURES
            for column in (
                _c(measure, "float", f"board_year.{measure}.", nullable=True),
                _c(
                    f"{measure}_low",
                    "float",
                    "Lower bound of its bootstrap 95% interval (year_intervals).",
                    nullable=True,
                ),
                _c(f"{measure}_high", "float", "Upper bound of that interval.", nullable=True),
            )
        ),
    ),
    "study_boards": (
        _c("board", "str", "The board's name in the study."),
        _c(
            "status",
            "str",
            "analysed, up_to_date (nothing had changed since its last analysis) or failed.",
            allowed=("analysed", "up_to_date", "failed"),
        ),
        _c("message", "str", "Why the board failed, as the error said it; empty otherwise."),
        _c("board_name", "str", "The name its board.yaml gives.", nullable=True),
        _c("codebook", "str", "Name of the codebook its themes were coded with.", nullable=True),
        _c(
            "own_codebook",
            "bool",
            "Whether that codebook is the board's own (else the demo's stand-in: no priority "
            "findings).",
            nullable=True,
        ),
        _c("meetings", "int", "Meetings read.", nullable=True),
        _c("units", "int", "Units coded.", nullable=True),
        _c("years", "str", "Years with meetings, first to last ('' when none)."),
        _c("seconds", "float", "Wall time of its `involve analyse`."),
        _c("folder", "str", "Its analysis, relative to the study's output folder."),
    ),
}


# Tables that do not follow the rule stated at the top of docs/tables.md.
NOTES: Final[dict[str, str]] = {
    "study_board_year": (
        "Written by `involve study` into the study's output folder (not by `involve analyse`): "
        "one row per board and year, read from each board's board_year and year_intervals."
    ),
    "study_boards": (
        "Written by `involve study`: one row per board of the study, failed ones included."
    ),
    "pages": (
        "Written only by `involve ingest`, never by `involve analyse` and never into "
        "`involvement.duckdb`: page texts hold the documents' words as they are, real names "
        "included, so treat them like the corpus itself."
    ),
}


def columns(table: str) -> list[str]:
    return [c.name for c in TABLES[table]]


def empty(table: str) -> pd.DataFrame:
    """An empty table with the right columns, for stages that found nothing."""
    import pandas as pd

    return conform(pd.DataFrame({c: [] for c in columns(table)}), table)


def conform(df: pd.DataFrame, table: str) -> pd.DataFrame:
    """Select, order and type a table's columns; raise SchemaError on anything off-schema."""
    import pandas as pd

    spec = TABLES[table]
    missing = [c.name for c in spec if c.name not in df.columns]
    if missing:
        raise SchemaError(f"table '{table}' is missing columns {missing}")
    out = pd.DataFrame(index=df.index)
    for col in spec:
        series = df[col.name]
        if not col.nullable and series.isna().any():
            bad = int(series.isna().sum())
            raise SchemaError(f"table '{table}': column '{col.name}' has {bad} missing values")
        out[col.name] = _coerce(series, col)
        if col.allowed is not None:
            unknown = sorted(set(out[col.name].dropna().astype(str)) - set(col.allowed))
            if unknown:
                raise SchemaError(
                    f"table '{table}': column '{col.name}' has values {unknown} "
                    f"outside {list(col.allowed)}"
                )
    return out.reset_index(drop=True)


def check_rows(rows: Sequence[Mapping[str, object]], table: str) -> None:
    """:func:`conform`'s checks on a table given as rows, for writers that make no frame."""
    spec = TABLES[table]
    missing = sorted({c.name for c in spec} - set(rows[0])) if rows else []
    if missing:
        raise SchemaError(f"table '{table}' is missing columns {missing}")
    for col in spec:
        values = [row[col.name] for row in rows]
        if not col.nullable and None in values:
            bad = values.count(None)
            raise SchemaError(f"table '{table}': column '{col.name}' has {bad} missing values")
        if col.allowed is not None:
            unknown = sorted({str(v) for v in values if v is not None} - set(col.allowed))
            if unknown:
                raise SchemaError(
                    f"table '{table}': column '{col.name}' has values {unknown} "
                    f"outside {list(col.allowed)}"
                )


def _coerce(series: pd.Series, col: Column) -> pd.Series:
    if col.dtype == "str":
        return series.astype("string")
    if col.dtype == "int":
        return series.astype("Int64" if col.nullable else "int64")
    if col.dtype == "float":
        return series.astype("float64")
    if col.dtype == "bool":
        return series.astype("boolean" if col.nullable else "bool")
    import pandas as pd

    return pd.to_datetime(series, errors="raise").astype("datetime64[ms]")


def markdown() -> str:
    """docs/tables.md: every table's columns, for users who read the CSVs."""
    out = [
        "# Output tables",
        "",
        "Generated from `pipeline/core/schemas.py` (`make docs`); every table is written to "
        "`tables/` as Parquet and CSV and into `involvement.duckdb`, except `pages` (see there).",
        "",
    ]
    for table, cols in TABLES.items():
        out += [f"## {table}", ""]
        if table in NOTES:
            out += [NOTES[table], ""]
        out += ["| column | type | meaning |", "|---|---|---|"]
        for c in cols:
            extra = " May be empty." if c.nullable else ""
            out.append(f"| `{c.name}` | {c.dtype} | {c.description}{extra} |")
        out.append("")
    return "\n".join(out)
