"""Classification against the coding manual (shared/CODING-MANUAL.md): focus and scope.

The examples are the manual's own definitions and examples, in the pseudonymised form the
classifier sees ("Officer 2", "Service user 1").
"""

from __future__ import annotations

import pandas as pd
import pytest

from pipeline.classify.focus import classify
from pipeline.classify.focus.cues import load_cues
from pipeline.classify.focus.scope import scope_of
from pipeline.core import config


def units(*rows: dict[str, object]) -> pd.DataFrame:
    base = {"meeting_id": "M2024-03-14", "item_no": "1", "speaker_role": "none", "is_action": False}
    frame = pd.DataFrame([{**base, **r} for r in rows])
    frame.insert(0, "segment_id", [f"M2024-03-14-{i:03d}" for i in range(1, len(rows) + 1)])
    return frame


def one(text: str, is_action: bool = False) -> pd.Series:
    return classify(units({"text": text, "is_action": is_action})).iloc[0]


# --------------------------------------------------------------------------- focus
PROCESS = [
    # Procedure.
    "The Chair welcomed everyone to the meeting.",
    "Apologies were received from Member 3 and Carer 2.",
    "There were no declarations of interest.",
    "The minutes of the last meeting were agreed as a correct record.",
    "There were no matters arising.",
    "The date of the next meeting was confirmed as Thursday 20 June 2024.",
    # Governance, membership, terms of reference.
    "The board discussed its terms of reference and membership.",
    # Plans, strategies, reports or presentations presented, received, noted, consulted on.
    "Officer 2 presented the draft carers' strategy, which the board noted.",
    "The board received the quarterly performance report.",
    "The board was consulted on the draft housing plan.",
    # Budgets and funding as mechanics.
    "The budget for the carers' breaks scheme is £24,000 a year, funded by the council.",
    # Questions asking for information.
    "Service user 1 asked how many people were on the waiting list.",
    "Carer 2 asked whether the crisis team would be funded next year.",
    # Progress on work still under way.
    "A review of the crisis pathway has started.",
    "The survey is being carried out in GP surgeries this month.",
    # Targets and plans without a result.
    "The target is to house 50 people by March.",
    "The plan aims to reduce waiting times from 14 weeks to 9.",
]
ACTION = [
    "Action: JS to circulate the protocol.",
    "Member 2 will write to the Minister about the funding gap.",
    "The board agreed to write to the Minister.",
    "Officer 1 agreed to come back to the October meeting with an update.",
    "Officer 1 will come back to the October meeting with an update.",
    "Officers would investigate the complaints.",
    "RESOLVED: to adopt the strategy and ask officers to report progress in six months.",
]
OUTCOME = [
    "The café opened in May and saw 212 visits in its first month.",
    "Waiting times reduced from 14 weeks to 9.",
    "31 people were housed through the scheme this year.",
    "A new out-of-hours crisis line has opened.",
    "Service user 2 has been rehoused in a ground-floor flat.",
    "Carer 1 has completed the peer support training course.",
    "The ward has changed its discharge practice, so no patient is now discharged at night.",
]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        *((t, "process") for t in PROCESS),
        *((t, "action") for t in ACTION),
        *((t, "outcome") for t in OUTCOME),
    ],
)
def test_focus_follows_the_coding_manual(text: str, expected: str) -> None:
    assert one(text)["focus"] == expected


def test_a_segmented_action_line_is_an_action_whatever_its_words() -> None:
    assert one("MT to the figures.", is_action=True)["focus"] == "action"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # An action log's row whose status column says it is done reports progress (process).
        ("Book the hall for the carers' event Done", "process"),
        ("Write to the housing team about the lift. Complete", "process"),
        ("Send the leaflet to the printers Done. Proofs checked by Carer 2.", "process"),
        # An entry that only says there is nothing to report sets nobody a task.
        ("Nothing to report.", "process"),
        ("No further update", "process"),
        # Still open, or "done" as part of the task, it stays an action.
        ("Book the hall for the carers' event In progress", "action"),
        ("MT to make sure the repair is done by May.", "action"),
    ],
)
def test_an_action_line_marked_done_is_progress(text: str, expected: str) -> None:
    assert one(text, is_action=True)["focus"] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Does it commit someone to do something after the meeting? Then action, even beside a
        # result.
        (
            "Member 2 reported that 31 people had been housed and agreed to report again in June.",
            "action",
        ),
        # Otherwise, has a concrete result already happened? Then outcome.
        ("Member 2 reported that 31 people had been housed since April.", "outcome"),
        # A question about the future commits nobody.
        ("Service user 1 asked how the board would report back to service users.", "process"),
        # Opening a consultation is the machinery of the board, not a result.
        ("The consultation on the strategy has opened.", "process"),
        # A resolution commits the board unless it only notes or receives a paper.
        (
            "RESOLVED: That the draft protocol be shared with the Youth Participation Group.",
            "action",
        ),
        ("RESOLVED: That the performance report be noted.", "process"),
        ("RESOLVED: That the Board notes the quarter 4 dashboard.", "process"),
        # Noting in the subjunctive or the passive, a correct record, an election: procedure.
        ("RESOLVED that the Board note the carers' strategy update.", "process"),
        ("RESOLVED that the work programme was noted.", "process"),
        ("RESOLVED that the minutes of 4 March were a correct record.", "process"),
        ("RESOLVED that Member 3 be elected Vice Chair of the Board.", "process"),
        ("RESOLVED to note the report, and that officers bring the plan back in May.", "action"),
        # A person or body + would + any verb of doing is a commitment ...
        ("Officer 4 would ascertain the current position with the landlord.", "action"),
        ("TW would expedite the repair of the ramp.", "action"),
        # ... but not reported speech, nor a description of how a scheme works.
        ("The Chair said that officers would bear the point in mind.", "process"),
        ("Under the new rota, officers would staff each drop-in session.", "process"),
        # A task written as a headline: a thing, then "to be" and a participle.
        ("Terms of reference to be reviewed at the June meeting.", "action"),
        ("The next meeting is due to be held in June.", "process"),
        (
            "RESOLVED: That the Youth Voice Report be noted, and that officers work with the "
            "group on a charter.",
            "action",
        ),
        # Results since a start are outcomes; referrals since then are activity (process).
        ("Since 1 April, nine care leavers have chosen to keep their worker.", "outcome"),
        ("Since 1 May, 31 people had been referred to the housing officers.", "process"),
        ("Of the pupils who finished, 71% showed a reliable improvement.", "outcome"),
        ("It had been arranged in October and her son was now attending every day.", "outcome"),
    ],
)
def test_hard_cases(text: str, expected: str) -> None:
    assert one(text)["focus"] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A result in one coordinated clause stands beside a plan in another.
        (
            "Repairs had been finished on ten houses in Oak Row, and the other 20 would be "
            "done by May.",
            "outcome",
        ),
        ("Ten posts had been filled but would not start until the spring.", "process"),
        # A start with its date or place happened; a start of work is work under way.
        ("Member 4 said the new peer group had started on 3 March at the library.", "outcome"),
        ("The drop-in had started in two health centres in January.", "outcome"),
        ("The team had started phoning everyone on the waiting list.", "process"),
        ("The group had started work on its second priority.", "process"),
        ("A review of the eligibility rules had started in June.", "process"),
        ("Procurement for a provider to run the new clinic had begun on 4 May.", "process"),
        # "now" with a state after a change, also reported in the past tense.
        ("The leaflet had been rewritten so that it now gave the helpline number.", "outcome"),
        ("Tenants said their homes were now warmer.", "outcome"),
        ("Families could now book visits in the evening.", "outcome"),
        ("Every GP surgery now had a named link worker.", "outcome"),
        # A noun "plan" or an attributive "expected" is no hedge; a plan to do something is.
        ("Forty of the 60 care plans had been reviewed, up from 25 last year.", "outcome"),
        ("The service plans to have housed 40 more people by March.", "process"),
        # Work still under way, reported in the past tense.
        ("The clinic still had long waits because posts were being recruited to.", "process"),
    ],
)
def test_realised_results_across_minute_styles(text: str, expected: str) -> None:
    assert one(text)["focus"] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # People reached: a count of people who came, joined or took a place is a result ...
        ("Last month 35 tenants attended the first repair cafe in the library.", "outcome"),
        ("A fun day was held in the park, with over 150 people taking part.", "outcome"),
        ("There were 12 cookery sessions, with 96 places booked.", "outcome"),
        # ... but attendance at a consultation or a meeting is the board's machinery.
        ("Forty people had attended the drop-in sessions on the draft strategy.", "process"),
        ("The briefing was attended by 30 people.", "process"),
        # The service or the people as the ones changed, in words the lexicon did not hold.
        ("The stairwell lights were fitted with motion sensors.", "outcome"),
        ("The youth club had won a regional award for its mentoring scheme.", "outcome"),
        ("Both of the young people had since been fostered by the same family.", "outcome"),
        (
            "The new booking system went live in May, resulting in savings of 20,000 pounds.",
            "outcome",
        ),
        # Where people are is a state, not a change; "newly appointed" names a person.
        ("There were 210 children in care, and 60 were placed outside the county.", "process"),
        ("The Chair welcomed Person 4, the newly appointed housing manager.", "process"),
        ("Two of the bidders had dropped out before the deadline.", "process"),
        ("The letter was distributed to the members of the panel.", "process"),
        ("Nine young carers were presented with certificates at the summer event.", "outcome"),
        # A resolution that only notes a report is procedure, whatever the report is called.
        ("RESOLVED that the Board note the Adoption Service Annual Report.", "process"),
    ],
)
def test_results_stated_plainly_are_outcomes(text: str, expected: str) -> None:
    assert one(text)["focus"] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A task taken on or set, whatever its verb.
        ("Member 3 offered to sound out the tenants' association.", "action"),
        ("The group agreed to sign up to the council's mailing list.", "action"),
        ("The Chair asked Officer 2 to find out who owns the verge.", "action"),
        # An earlier undertaking reported, noting, or a question, is not.
        ("Officer 2 said the landlord had agreed to replace the boiler.", "process"),
        ("The Board agreed to note the annual report.", "process"),
        ("Member 1 asked Officer 2 whether the verge had been cut.", "process"),
        ("Support was offered to all the families on the list.", "process"),
    ],
)
def test_tasks_in_any_verb_are_actions(text: str, expected: str) -> None:
    assert one(text)["focus"] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A task taken on beside a question is still a task; the question alone is not.
        (
            "Lay member 2 asked whether the hall needed painting and offered to lend a hand.",
            "action",
        ),
        ("Lay member 2 asked whether the hall needed painting.", "process"),
        ("Members asked what the council planned to do about the red ratings.", "process"),
        # A panel is a body that can be asked; "instructed" sets a task as "asked" does.
        ("The Chair asked the Panel to tidy up its list of open items.", "action"),
        ("The committee instructed the clerk to chase the unpaid invoices.", "action"),
        # A decision or request in the subjunctive; a member's plea ("asked that") is not.
        ("It was agreed that Person 4 be invited to the spring meeting.", "action"),
        ("The Chair requested that the revised map be circulated with the minutes.", "action"),
        ("Carer 2 asked that the leaflets be translated.", "process"),
        # A decision in the past tense that directs work; approving the minutes does not.
        ("The committee approved the purchase of a projector for the hall.", "action"),
        ("The committee approved the minutes of the March meeting.", "process"),
        # An action column's owner written into the text; a numbered "Action N:" line.
        ("Members wanted the bus times checked. Action Member 2", "action"),
        ("Action 4: the secretariat to send the draft terms of reference round.", "action"),
        # A headline task after a heading and a dash.
        ("Noticeboard – new glass to be ordered for the frame.", "action"),
        # A deadline that is a forecast or a hope sets no task.
        (
            "The contractor said the resurfacing should be finished by the end of the month.",
            "process",
        ),
        ("A decision might be taken by the end of May.", "process"),
        # Putting an item off to a later meeting is the board's procedure.
        ("Discussion of the bus shelter to be deferred to the next meeting.", "process"),
    ],
)
def test_requests_decisions_and_deadlines(text: str, expected: str) -> None:
    assert one(text)["focus"] == expected


@pytest.mark.parametrize(
    "text",
    [
        "Item to be carried over to the next meeting.",
        "Minutes approved",
        "The minutes of the last meeting were agreed as a correct record.",
    ],
)
def test_an_action_column_entry_of_procedure_is_process(text: str) -> None:
    assert one(text, is_action=True)["focus"] == "process"


def test_focus_scores_are_confidences() -> None:
    out = classify(units(*({"text": t} for t in [*PROCESS, *ACTION, *OUTCOME])))
    assert out["focus_score"].between(0, 1).all()
    assert set(out["focus"]) <= set(config.FOCUS_LABELS)


# --------------------------------------------------------------------------- outcome scope
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # The involved members' training, confidence or payment; a named person; own case.
        (
            "Carer 1 has completed her accredited training and her expenses are now paid.",
            "individual",
        ),
        (
            "The service user representatives have now been paid for their time at meetings.",
            "individual",
        ),
        ("Service user 2 has been rehoused in a ground-floor flat.", "individual"),
        ("Service user 1 said the mentoring had given her more confidence.", "individual"),
        ("Lay member 1's own housing case was resolved after the last meeting.", "individual"),
        # A group, a ward, an estate, all service users, counts of people, the public.
        ("All service users on the ward now have access to the garden.", "collective"),
        ("31 people were housed through the scheme this year.", "collective"),
        ("Waiting times across the county fell from 14 weeks to 9.", "collective"),
        (
            "The crisis café has opened in the town centre and is open to the public each evening.",
            "collective",
        ),
        ("Ward 3 has reduced the use of restraint by 40%.", "collective"),
    ],
)
def test_outcome_scope_follows_the_coding_manual(text: str, expected: str) -> None:
    row = one(text)
    assert row["focus"] == "outcome"
    assert row["outcome_scope"] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # The person who raised the point is its source, not who benefits from the result.
        (
            "Following Carer 1's comment at the last meeting, the provider had changed its "
            "waiting list letters so that they now gave an expected wait.",
            "collective",
        ),
        ("Service user 2 reported that the café leaflet was now in Polish.", "collective"),
        # Numbers in words count people too; a service's name is not an individual.
        ("Four peer support worker posts had been created and filled on the ward.", "collective"),
        (
            "The Individual Placement and Support service had helped 61 people into work.",
            "collective",
        ),
        # A member's own family is their own case.
        ("Her son's school transport had been arranged in October.", "individual"),
        ("Service user 2 had been offered a one-bedroom flat.", "individual"),
        # Who benefits is said in the sentence that reports the result, not in the one that
        # names who passed the news on.
        (
            "Officer 3 said he has sent the form to Person 5. The leaflet had been printed and "
            "was now in every surgery.",
            "collective",
        ),
        (
            "Officer 3 reported on the tenancy scheme. Of the tenants who had finished the "
            "course, 64% had kept their tenancy for a year.",
            "collective",
        ),
        # An award goes to particular people.
        ("The scheme ran all year, and one of its volunteers had won an award.", "individual"),
        # Whoever passed something on is not who benefits; "their own" said of people in
        # general is no one's own case.
        (
            "Person 5 has forwarded the complaint form, which is now on the residents' website.",
            "collective",
        ),
        (
            "The rail operator had given free travel to foster families, to help more people "
            "start their own fostering journey.",
            "collective",
        ),
    ],
)
def test_scope_tells_the_beneficiary_from_the_source(text: str, expected: str) -> None:
    assert scope_of(text, load_cues())[0] == expected


@pytest.mark.parametrize("text", [*PROCESS[:3], *ACTION[:3]])
def test_outcome_scope_is_empty_unless_the_focus_is_outcome(text: str) -> None:
    assert one(text)["outcome_scope"] == ""


def test_classify_adds_its_columns_and_keeps_the_rest() -> None:
    before = units({"text": "The report was noted."})
    after = classify(before)
    pd.testing.assert_frame_equal(after[before.columns], before)
    assert {"focus", "focus_score", "outcome_scope"} <= set(after.columns)
