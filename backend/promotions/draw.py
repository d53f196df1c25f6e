"""The lottery draw, and its stand-alone verifier (standard library only).

Before entry opens the server publishes seed_hash = sha256(seed) (hex; the seed is 32
random bytes, written as 64 hex characters). At the draw it publishes the seed and the
entrant list (entry numbers). The winners follow by this function, which anyone can rerun:

    score(entry) = sha256(f"{seed}:{entry}") as hex
    winners      = the `count` entries with the smallest scores, in that order

Verify a published draw (the JSON of GET /api/v1/promotions/lotteries/{id}/proof):

    python backend/promotions/draw.py proof.json
"""

from __future__ import annotations

import hashlib
import json
import sys


def seed_hash(seed: str) -> str:
    return hashlib.sha256(seed.encode()).hexdigest()


def winners(seed: str, entrants: list[int], count: int) -> list[int]:
    def score(entry: int) -> tuple[str, int]:
        return hashlib.sha256(f"{seed}:{entry}".encode()).hexdigest(), entry

    return sorted(set(entrants), key=score)[:count]


def verify(proof: dict) -> list[str]:  # type: ignore[type-arg]
    """What is wrong with a published draw (nothing: an empty list)."""
    problems = []
    if seed_hash(proof["seed"]) != proof["seed_hash"]:
        problems.append("the seed does not match the hash published before entry opened")
    again = winners(proof["seed"], proof["entrants"], proof["winners_count"])
    if again != proof["winners"]:
        problems.append(f"the winners should be {again}, the draw says {proof['winners']}")
    return problems


def main(path: str) -> int:
    with open(path, encoding="utf-8") as source:
        proof = json.load(source)
    problems = verify(proof)
    for problem in problems:
        sys.stdout.write(f"FAIL: {problem}\n")
    if not problems:
        sys.stdout.write(f"OK: winners {proof['winners']} follow from the seed and the entrants\n")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
