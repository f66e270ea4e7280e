"""Speaker turns in transcripts: `I:`, `Intervjuer:`, `Anna:`, `[00:12:31] Britt:`."""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

INTERVIEWER_LABELS = {
    "i", "int", "intervjuer", "intervjuar", "interviewer", "forsker", "moderator", "q", "spm",
    "spørsmål", "r", "researcher", "ib", "iv",
}

# Header lines at the top of a transcript ("Dato: 3. mars", "Tid: 10.00", "Sted: [fjernet]",
# "Intervju 4: ..."): metadata about the interview, never a speaker.
HEADER_LABELS = {
    "dato", "date", "tid", "tidspunkt", "klokkeslett", "time", "sted", "place", "location", "varighet",
    "lengde", "duration", "intervju", "intervju nr", "intervjunr", "intervjunummer", "interview",
    "transkribert", "transkribert av", "transkribent", "transkribering", "opptak", "lydfil", "fil",
}

_TS = r"(?:\[(?P<ts>\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?)\]|(?P<ts2>\d{1,2}:\d{2}:\d{2}(?:[.,]\d{1,3})?))"
# A label is one to three capitalised words or digits ("Anna", "Informant 2", "Britt H."), then ":".
_NAME = r"(?P<name>[A-ZÆØÅÄÖÜ][\wÆØÅæøåÄÖÜäöü.'’-]{0,24}(?:[ \t](?:[A-ZÆØÅÄÖÜ0-9][\wÆØÅæøåÄÖÜäöü.'’-]{0,24})){0,2})"
LABEL = re.compile(rf"^[ \t]*(?:{_TS}[ \t]*)?{_NAME}[ \t]*:(?:[ \t]+|$)", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class TurnSpan:
    speaker: str
    label_start: int
    start: int
    end: int
    timestamp: float | None


@dataclass(slots=True)
class ParsedTranscript:
    """A transcript read from a file (io.readers), ready for core.documents.add_transcript."""
    source_name: str
    title: str
    text: str
    turns: list[TurnSpan]
    sha256: str
    encoding: str
    warnings: list[str] = field(default_factory=list)


def parse_timestamp(value: str | None) -> float | None:
    if not value:
        return None
    parts = value.replace(",", ".").split(":")
    try:
        nums = [float(p) for p in parts]
    except ValueError:
        return None
    secs = 0.0
    for n in nums:
        secs = secs * 60 + n
    return secs


def format_timestamp(seconds: float | None) -> str:
    if seconds is None:
        return ""
    s = int(seconds)
    return f"{s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}"


def is_interviewer(label: str) -> bool:
    return label.strip().casefold() in INTERVIEWER_LABELS


def is_header_label(label: str) -> bool:
    """Whether a label names interview metadata ("Dato", "Tid", "Sted", "Intervju 4", "Intervju
    nr"), not a speaker."""
    words = label.strip().casefold().rstrip(".").split()
    while words and (words[-1].rstrip(".").isdigit() or words[-1] in ("nr", "nr.", "no", "no.")):
        words.pop()
    return " ".join(words) in HEADER_LABELS


def parse_turns(text: str) -> list[TurnSpan]:
    """Turns from label lines. A candidate label counts when it recurs or is a known
    interviewer label, so a sentence like "Men: ..." in running text is not taken for one.
    Header lines before the first turn ("Dato:", "Tid:", "Sted:", "Intervju 4:") are metadata:
    they are no turn, so the participant is found and turn numbers do not shift."""
    matches = list(LABEL.finditer(text))
    while matches and is_header_label(matches[0].group("name")):
        matches.pop(0)
    if not matches:
        return []
    freq = Counter(m.group("name") for m in matches)
    has_interviewer = any(is_interviewer(m.group("name")) for m in matches)

    def starts_paragraph(m: re.Match) -> bool:
        return m.start() == 0 or text[max(0, m.start() - 2):m.start()] == "\n\n"

    # A label counts when it recurs, is the interviewer's, or opens a paragraph in an
    # interview (a short transcript may have one informant turn).
    accepted = [m for m in matches if freq[m.group("name")] >= 2 or is_interviewer(m.group("name"))
                or (has_interviewer and starts_paragraph(m))]
    if not accepted:
        return []
    turns: list[TurnSpan] = []
    for i, m in enumerate(accepted):
        label_start = m.start() + (len(m.group(0)) - len(m.group(0).lstrip(" \t")))
        start = m.end()
        end = accepted[i + 1].start() if i + 1 < len(accepted) else len(text)
        body = text[start:end]
        end = start + len(body.rstrip())
        # Leading blanks after the label are not part of the turn.
        while start < end and text[start] in " \t":
            start += 1
        turns.append(TurnSpan(m.group("name"), label_start, start, max(start, end),
                              parse_timestamp(m.group("ts") or m.group("ts2"))))
    return turns


def informant_labels(turns: list[TurnSpan]) -> list[str]:
    """Speakers that are not the interviewer, most talkative first."""
    counts = Counter(t.speaker for t in turns if not is_interviewer(t.speaker))
    return [name for name, _ in counts.most_common()]
