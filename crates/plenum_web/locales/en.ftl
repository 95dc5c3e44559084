# Plenum's interface in English. Every key here must also be in es.ftl (a test checks).

## Layout
skip-to-content = Skip to content
nav-label = Main
nav-sign-up = Sign up
nav-sign-in = Sign in
nav-sign-out = Sign out
footer-public = Every decision here is public and can be verified without an account.
back-home = Back to the home page
error-title = Something is not right

## Home
home-title = Neighbourhood assemblies
home-intro = Assemblies decide; everyone can read what they decided and check how.
home-assemblies = Assemblies
home-no-assemblies = There are no assemblies yet.
members-count = { $count ->
    [one] { $count } member
   *[other] { $count } members
}

## Accounts
signup-title = Create an account
signup-submit = Create account
signup-have-account = Already have an account? Sign in
login-title = Sign in
login-submit = Sign in
login-no-account = No account yet? Sign up
field-login = Login name
field-login-hint = 2 to 64 letters, digits, dots, hyphens or underscores. Others do not see it.
field-display-name = Display name
field-password = Password
field-password-hint = At least 8 characters.

## Assembly
body-file-motion = File a motion
body-schedule-meeting = Schedule a meeting
body-join = Join this assembly
body-sign-in-to-join = Sign in to join this assembly
body-request-waiting = Your request to join is waiting for a facilitator's approval.
body-pending = Requests to join
body-approve = Approve
body-motions = Motions
body-no-motions = No motions yet.
body-meetings = Meetings
body-no-meetings = No meetings yet.
body-calendar = Calendar (iCal)
body-charter = Charter
body-members = Members
home-create-assembly = Create an assembly
body-new-title = Create an assembly
body-create = Create assembly
field-body-name = Name
field-slug = Address name (slug)
field-slug-hint = 2 to 64 lowercase letters, digits and single hyphens; the assembly's page is /bodies/ and this name.
field-membership = Membership
membership-open = Open
membership-approval = Approval by a facilitator
charter-proposed = The proposed charter (for a charter amendment)
charter-proposed-hint = Read only when the kind is a charter amendment; it starts as the current charter.
field-motions-pass = Motions pass with
field-amended-by = The charter is amended with
threshold-more-than = more than
threshold-at-least = at least
field-share = Share of the votes cast
field-share-hint = A share is written as a fraction such as 1/2 or 2/3.
field-quorum = Quorum
field-quorum-hint = A share of the members such as 1/10, a number of members such as 5, or empty for no quorum.
role-facilitator = facilitator
charter-open = Anyone may join.
charter-approval = A facilitator approves each new member.
charter-motions-pass = Motions pass with
charter-amended-by = The charter is amended with
quorum-label = Quorum:
quorum-none = No quorum.
quorum-of-roll = of the members
quorum-of-ballots = counting ballots cast
quorum-of-present = counting members present
# A decision rule: $share is a fraction ("1/2"); $base picks what it is a share of.
rule-more-than = more than { $share } { $base ->
        [votes-and-abstentions] of the votes cast and abstentions
        [all-members] of all members
       *[votes-cast] of the votes cast
    }
rule-at-least = at least { $share } { $base ->
        [votes-and-abstentions] of the votes cast and abstentions
        [all-members] of all members
       *[votes-cast] of the votes cast
    }
rule-no-quorum = no quorum: { $taking_part } of { $needed } needed

## Motions
motion-new-title = File a motion
motion-file = File motion
motion-moved-by = moved by
motion-polls = Polls
motion-no-polls = No poll yet.
motion-arguments = Arguments
motion-no-arguments = None yet.
motion-amendments = Amendments
motion-no-amendments = No amendments.
field-kind = Kind
field-title = Title
field-text = Text
field-side = Side
field-argument = Argument
field-amendment = New text
argument-add = Add argument
amendment-propose = Propose amendment
amendment-accept = Accept
amendment-decline = Decline
amendment-proposed = proposed
amendment-accepted = accepted
amendment-declined = declined
amendment-voting = being voted on
amendment-put-to-vote = Put to a vote
amendment-poll-link = The vote on this amendment
amendment-vote-hint = “Put to a vote” opens a poll on that amendment with the secrecy and closing time chosen under “Put this motion to a vote” above; if it passes, the amendment replaces the text, and if it fails, it is declined.
poll-on-amendment = Vote on an amendment
side-for = For
side-against = Against
kind-policy = Policy
kind-procedural = Procedural
kind-charter_amendment = Charter amendment
kind-mandate = Mandate
kind-recall = Recall
kind-ratification = Ratification
kind-budget = Budget
kind-election = Election
status-open = open
status-voting = voting
status-passed = passed
status-rejected = rejected
status-withdrawn = withdrawn

## Polls
poll-title = Poll
poll-open = open
poll-closed = closed
poll-awaiting-close = voting over, closing
poll-open-title = Put this motion to a vote
poll-open-submit = Open poll
field-secrecy = Secrecy
secrecy-secret = Secret
secrecy-open = Open
field-closes-in = Closes in (minutes)
field-closes-at = Or closes at (local date and time)
field-closes-at-hint = If given, this wins over the minutes. Times are in the instance's time zone.
poll-secrecy = Secrecy
poll-opens = Opens
poll-closes = Closes
poll-closed-at = Closed at
poll-roll = Members on the roll
poll-voted = Voted online
poll-in-person = In-person count
vote-legend = Your vote
vote-submit = Cast vote
vote-done = You have voted in this poll.
vote-secret-hint = This is a secret ballot: what you vote is stored apart from your name. It is not coercion-resistant.
choice-yes = Yes
choice-no = No
choice-abstain = Abstain
receipt-title = Your receipt code
receipt-keep = Keep this code. When the poll closes, use it to find your ballot among the published ballots.
receipt-not-coercion-resistant = Anyone you show this code to can see how you voted once the ballots are published.
receipt-check-title = Check a receipt
field-receipt = Receipt code
receipt-check-submit = Check receipt
receipt-found = Your ballot is among the published ballots.
receipt-choice = It says
receipt-not-found = No published ballot has this receipt code. Check the code, or the poll may not be closed yet.
in-person-title = Counts from a meeting
in-person-yes = Yes votes in the room
in-person-no = No votes in the room
in-person-abstain = Abstentions in the room
in-person-present = Members present in the room
in-person-submit = Enter counts
result-title = Result
result-passed = Passed
result-failed = Failed
result-working = How the result was worked out
result-online = Ballots cast online
result-in-person = Votes cast in person
result-quorum = Quorum (taking part / needed)
result-met = met
result-not-met = not met
result-base = Votes the threshold applies to
result-needed = Yes votes needed
result-margin = Margin
result-rule = Rule
board-title = Published ballots
board-caption = Every ballot of this secret poll, in shuffled order
board-receipt = Receipt code
board-choice = Vote
board-ballot = Ballot id
votes-title = Who voted what
votes-none = No votes yet.
votes-member = Member

## Meetings
meeting-new-title = Schedule a meeting
meeting-schedule = Schedule meeting
field-starts-at = Starts at (local date and time)
field-zone-hint = Time zone:
field-duration = Duration (minutes)
field-place = Place
field-link = Online link
field-agenda = Agenda
meeting-when = When
meeting-where = Where
venue-online = Online
meeting-agenda = Agenda
meeting-no-agenda = No agenda yet.
meeting-attendance = Attendance
meeting-no-attendance = Attendance not recorded yet.
meeting-present = Members present
meeting-guests = Guests
meeting-record-attendance = Record attendance
meeting-minutes = Minutes
meeting-minutes-draft = Draft: only facilitators see these minutes until they are published.
meeting-no-minutes = No minutes published yet.
meeting-save-minutes = Save minutes
meeting-publish = Publish minutes

## Errors (the codes the API returns)
not_found = There is nothing here. The address may be wrong, or the thing was never created.
internal = Something went wrong on the server. Please try again.
sign_in_needed = Please sign in first.
too_many_requests = Too many attempts. Please wait a few minutes and try again.
csrf_mismatch = This form has expired or did not come from this site. Reload the page and try again.
login_taken = This login name is taken. Please choose another.
wrong_credentials = Wrong login name or password.
invalid_input = Some of what was entered is not valid.
invalid_login = A login name is 2 to 64 letters, digits, dots, hyphens, underscores or @.
invalid_password = A password must be 8 to 1000 characters.
invalid_choice = Choose Yes, No or Abstain.
invalid_minutes = Enter a whole number of minutes.
invalid_local_time = Enter a date and time.
local_time_skipped = That time does not exist in this time zone: the clocks move forward then.
venue_missing = Give a place, an online link, or both.
body_too_large = What was sent is too large.
malformed_json = The JSON could not be read.
not_json = Send JSON.
method_not_allowed = This address does not take that kind of request.
bad_request = The request could not be understood.
invalid_query = The query parameters are not valid.
already_exists = This exists already.
slug_taken = This address name is taken by another assembly.
invalid_slug = An address name is 2 to 64 lowercase letters, digits and single hyphens (and not “new”).
invalid_body_name = Give the assembly a name.
invalid_membership = Choose Open or Approval by a facilitator.
invalid_share = A share is a fraction between 0 and 1, such as 1/2 or 2/3.
not_a_member = Only members of this assembly may do that.
not_a_facilitator = Only a facilitator of this assembly may do that.
already_a_member = You are already a member of this assembly.
already_requested = Your request to join is already waiting for approval.
no_pending_request = There is no request to join from this person.
already_a_facilitator = Already a facilitator of this assembly.
last_facilitator = The last facilitator cannot leave while other members remain; appoint another first.
duplicate = Something is listed twice.
ends_before_start = A meeting must end after it starts.
from_another_body = That motion belongs to another assembly.
minutes_missing = There are no minutes to publish yet.
minutes_already_published = The minutes are published and cannot be changed.
not_the_mover = Only the motion's mover may do that.
motion_not_open = The motion is no longer open for that.
proposed_charter_missing = A charter amendment must include the proposed charter.
proposed_charter_unexpected = Only a charter amendment includes a proposed charter.
kind_not_supported_yet = Motions of this kind cannot be filed yet.
amendment_settled = This amendment was already accepted or declined.
amendment_being_voted_on = This amendment is being voted on; its poll decides it.
amendment_vote_pending = An amendment to this motion is being voted on; wait for its poll to close.
bad_window = A poll must close after it opens, and not in the past.
poll_not_open_yet = This poll is not open yet.
voting_over = Voting in this poll is over.
poll_closed = This poll is closed.
poll_still_open = This poll is still open.
not_on_roll = You are not on this poll's roll: the roll is the members when the poll opened.
already_voted = You have already voted in this poll.
impossible_count = These counts are impossible.
pager-newer = Newer
pager-older = Older
pager-previous = Previous
pager-next = Next
