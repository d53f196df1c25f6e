"""The incubation pipeline, written once: applied → admitted → in incubation → graduated,
withdrawn from any stage before graduation. Every move goes through `incubatee_move`."""

from __future__ import annotations

from backend.incubation.models import Stage

MOVES: dict[str, tuple[str, ...]] = {
    Stage.APPLIED: (Stage.ADMITTED, Stage.WITHDRAWN),
    Stage.ADMITTED: (Stage.IN_INCUBATION, Stage.WITHDRAWN),
    Stage.IN_INCUBATION: (Stage.GRADUATED, Stage.WITHDRAWN),
    Stage.GRADUATED: (),
    Stage.WITHDRAWN: (),
}

# The date field each stage stamps when an incubatee enters it.
STAMPS: dict[str, str] = {
    Stage.ADMITTED: "admitted_at",
    Stage.IN_INCUBATION: "started_at",
    Stage.GRADUATED: "graduated_at",
    Stage.WITHDRAWN: "withdrawn_at",
}

# Stages whose incubatees count towards the plan's goals (admitted by the office).
COUNTING = (Stage.ADMITTED, Stage.IN_INCUBATION, Stage.GRADUATED)
