"""Generate the demo survey data (data.csv): 42 fictitious staff in municipal housing
services answering RSA-R and QPS Nordic items (1-5), with background variables.

The numbers are synthetic. They are drawn so that the group differences roughly resemble
the published figures in findings.yaml (support from the leader lower for staff with user
experience, role expectations lower for staff with more than 8 years, diversity of
treatment options lower for staff in daily contact with users, and a negative correlation
between Involvering and Sosial samhandling). Item columns hold the answers as given, so
reverse-worded items (see scales.yaml) are stored unreversed; 98 = vet ikke and
99 = ikke relevant are sprinkled in as missing codes.

Run ``python generate.py [output.csv|output.sav]``; without an argument it (re)writes
data.csv and data.sav next to this file. The CSV is byte-for-byte reproducible (fixed seed,
fixed formatting).

data.sav is the same data as SPSS would hold it (written with pyreadstat, which needs
pandas): the same numeric codes, value labels on the answers (1 = helt uenig ... 5 = helt
enig, 98 = vet ikke, 99 = ikke relevant) and on the background variables (0 = nei,
1 = ja), 98 and 99 declared as user-missing values, and a variable label on every column
(the item's wording, e.g. "RSA-R 5: Involvering"), so a scoring key may name items by
label. ``themecoder findings compute`` gives the same findings from either file.
"""
from __future__ import annotations

import csv
import sys
from pathlib import Path

import numpy as np

SEED = 20240917
N = 42

# (instrument prefix, scale, number of items, reverse-worded item positions (0-based))
RSA_SCALES = [
    ("Livsmål", 4, ()),
    ("Involvering", 4, (3,)),
    ("Mangfold i behandlingstilbud", 4, (2,)),
    ("Valgfrihet", 4, ()),
    ("Individuelt tilpassede tjenester", 4, (2,)),
]
QPS_SCALES = [
    ("Støtte fra leder", 4, (2,)),
    ("Rolleforventninger", 3, (1,)),
    ("Sosial samhandling", 4, ()),
    ("Kontroll i arbeidet", 3, (2,)),
]
BASE_MEAN = {
    "Livsmål": 4.3, "Involvering": 3.95, "Mangfold i behandlingstilbud": 4.05,
    "Valgfrihet": 4.4, "Individuelt tilpassede tjenester": 4.3,
    "Støtte fra leder": 4.15, "Rolleforventninger": 4.45, "Sosial samhandling": 4.3,
    "Kontroll i arbeidet": 4.0,
}


def _background(rng: np.random.Generator) -> dict[str, list]:
    # 24 with more than 8 years of relevant experience, 18 with 8 or fewer
    years = np.concatenate([rng.integers(9, 31, 24), rng.integers(0, 9, 18)])
    years = years[rng.permutation(N)]
    # daily contact with users: 28 yes, 14 no
    daily = np.array([1] * 28 + [0] * 14)[rng.permutation(N)]
    # own user experience: 10 yes, 30 no, 2 did not answer
    user: list = [1] * 10 + [0] * 30 + [None] * 2
    user = [user[i] for i in rng.permutation(N)]
    return {"erfaring_ar": [int(y) for y in years], "kontakt_daglig": [int(d) for d in daily],
            "brukererfaring": user}


def _latent(rng: np.random.Generator, bg: dict[str, list]) -> dict[str, np.ndarray]:
    """Person-level true scale scores on the 1-5 metric."""
    rsa_general = rng.normal(0, 0.35, N)
    qps_general = rng.normal(0, 0.6, N)
    social = rng.normal(0, 0.5, N)  # pulls Involvering and Sosial samhandling apart
    more_years = np.array([y > 8 for y in bg["erfaring_ar"]])
    daily = np.array(bg["kontakt_daglig"]) == 1
    user = np.array([u == 1 for u in bg["brukererfaring"]])
    out = {}
    for name, _, _ in RSA_SCALES:
        out[name] = BASE_MEAN[name] + rsa_general + rng.normal(0, 0.3, N)
    for name, _, _ in QPS_SCALES:
        out[name] = BASE_MEAN[name] + qps_general + rng.normal(0, 0.15, N)
    out["Involvering"] = out["Involvering"] - 0.35 * social
    out["Sosial samhandling"] = out["Sosial samhandling"] + 0.35 * social
    out["Mangfold i behandlingstilbud"] = out["Mangfold i behandlingstilbud"] - 0.6 * daily
    out["Rolleforventninger"] = out["Rolleforventninger"] - 0.5 * more_years
    leader = out["Støtte fra leder"]
    out["Støtte fra leder"] = np.where(user, leader - 0.5 + rng.normal(0, 2.0, N), leader)
    return out


def _items(rng: np.random.Generator, latent: dict[str, np.ndarray], prefix: str,
           scales: list[tuple[str, int, tuple[int, ...]]], start: int) -> dict[str, list[int]]:
    out = {}
    number = start
    for name, k, reverse in scales:
        for pos in range(k):
            answer = np.clip(np.rint(latent[name] + rng.normal(0, 0.5, N)), 1, 5)
            if pos in reverse:
                answer = 6 - answer  # the item is worded the other way round
            out[f"{prefix}{number:02d}"] = [int(a) for a in answer]
            number += 1
    return out


def generate() -> list[dict[str, object]]:
    """The respondents as rows (column name -> value; None = empty cell)."""
    rng = np.random.default_rng(SEED)
    bg = _background(rng)
    latent = _latent(rng, bg)
    items = _items(rng, latent, "rsa", RSA_SCALES, 1)
    items.update(_items(rng, latent, "qps", QPS_SCALES, 1))
    # a few "vet ikke" (98) and "ikke relevant" (99) answers, at most one per respondent
    names = list(items)
    for person in rng.choice(N, size=9, replace=False):
        item = names[int(rng.integers(len(names)))]
        items[item][int(person)] = int(rng.choice([98, 99]))
    rows = []
    for i in range(N):
        row: dict[str, object] = {"id": f"R{i + 1:02d}"}
        row.update({k: v[i] for k, v in bg.items()})
        row.update({k: v[i] for k, v in items.items()})
        rows.append(row)
    return rows


def write_csv(path: str | Path) -> None:
    rows = generate()
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(list(rows[0]))
        for row in rows:
            writer.writerow(["" if v is None else v for v in row.values()])


ANSWER_LABELS = {1: "helt uenig", 2: "uenig", 3: "verken eller", 4: "enig", 5: "helt enig",
                 98: "vet ikke", 99: "ikke relevant"}
YES_NO = {0: "nei", 1: "ja"}


def column_labels() -> dict[str, str]:
    """The variable label (item wording) of every column."""
    labels = {"id": "Respondent", "erfaring_ar": "Års relevant erfaring",
              "kontakt_daglig": "Daglig kontakt med brukere",
              "brukererfaring": "Egen brukererfaring"}
    for prefix, instrument, scales in (("rsa", "RSA-R", RSA_SCALES), ("qps", "QPS Nordic", QPS_SCALES)):
        number = 1
        for name, k, _ in scales:
            for _ in range(k):
                labels[f"{prefix}{number:02d}"] = f"{instrument} {number}: {name}"
                number += 1
    return labels


def write_sav(path: str | Path) -> None:
    """The same data as an SPSS file (see the module doc)."""
    import pandas as pd
    import pyreadstat

    rows = generate()
    frame = pd.DataFrame({k: [r[k] for r in rows] for k in rows[0]})
    for col in frame.columns:
        if col != "id":
            frame[col] = frame[col].astype("float64")
    items = [c for c in frame.columns if c.startswith(("rsa", "qps"))]
    value_labels: dict[str, dict[int | float, str]] = {c: dict(ANSWER_LABELS) for c in items}
    value_labels.update({"kontakt_daglig": dict(YES_NO), "brukererfaring": dict(YES_NO)})
    pyreadstat.write_sav(frame, str(path), column_labels=column_labels(),
                         variable_value_labels=value_labels,
                         missing_ranges={c: [98, 99] for c in items},
                         file_label="themecoder demo survey (synthetic)")


def main(argv: list[str]) -> int:
    if len(argv) > 1:
        target = Path(argv[1])
        (write_sav if target.suffix.lower() == ".sav" else write_csv)(target)
        return 0
    write_csv(Path(__file__).with_name("data.csv"))
    write_sav(Path(__file__).with_name("data.sav"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
