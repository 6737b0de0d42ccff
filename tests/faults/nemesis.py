"""A seeded random schedule of every fault (a nemesis, in the spirit of Jepsen).

The whole schedule — which fault, when, on what, for how long — is drawn from one seed before
the run starts, so `make soak SEED=<seed>` replays the same nemesis against the same load mix
(the interleaving with the load is timing, and may differ). Every fault heals itself within its
step (a killed process is restarted, the database and the broker come back), so the system
ends whole and the invariants must hold at the end.
"""

import asyncio
import random
from dataclasses import dataclass, field

from erp_contracts.topics import events_topic

from .invariants import Consumer, Poison, invalid_envelope_poison, unprocessable_poison
from .stack import FaultStack

KINDS = ("kill", "postgres", "broker", "relay_lock", "replica", "poison")
#: Services run with a second replica during a soak (lock hand-over, replica kills).
REPLICATED = ("inventory", "sales")


@dataclass(frozen=True)
class Step:
    gap: float  # seconds of plain load before the fault
    kind: str
    service: str = ""
    index: int = 0
    seconds: float = 0.0  # how long the fault lasts before it heals
    event_type: str = ""  # poison: the handled type of the unprocessable envelope

    def describe(self) -> str:
        target = f" {self.service}" + (f"#{self.index + 1}" if self.index else "")
        extra = f" for {self.seconds:.1f}s" if self.seconds else ""
        what = f" ({self.event_type or 'not an envelope'})" if self.kind == "poison" else ""
        return f"after {self.gap:.1f}s: {self.kind}{target if self.service else ''}{extra}{what}"


@dataclass
class Nemesis:
    seed: int
    steps: list[Step]
    #: Poison published since the broker last lost its log (the DLQ goes with the log).
    poison: list[Poison] = field(default_factory=list)
    done: list[str] = field(default_factory=list)


def schedule(
    seed: int,
    duration: float,
    services: list[str],
    consumers: list[Consumer],
    *,
    warm_up: float = 5.0,
    tail: float = 20.0,
) -> Nemesis:
    """Faults from `warm_up` until `tail` seconds before the end of `duration`."""
    rng = random.Random(seed)
    # Poison goes where someone listens: topics at least one consumer reads.
    producers = [s for s in services if any(events_topic(s) in c.topics for c in consumers)]
    steps: list[Step] = []
    at = warm_up
    while True:
        gap = rng.uniform(6.0, 20.0)
        kind = rng.choice([k for k in KINDS if k != "poison" or producers])
        if kind == "kill":
            step = Step(gap, kind, rng.choice(services), seconds=rng.uniform(0.5, 3.0))
        elif kind == "postgres":
            step = Step(gap, kind, seconds=rng.uniform(10.0, 15.0))
        elif kind == "broker":
            step = Step(gap, kind, seconds=rng.uniform(1.0, 5.0))
        elif kind == "relay_lock":
            step = Step(gap, kind, rng.choice([s for s in services if s != "reporting"]))
        elif kind == "replica":
            step = Step(gap, kind, rng.choice(REPLICATED), index=1, seconds=rng.uniform(2.0, 8.0))
        else:
            producer = rng.choice(producers)
            topic = events_topic(producer)
            handled = sorted({t for c in consumers if topic in c.topics for t in c.handled})
            event_type = rng.choice(["", *handled]) if handled else ""
            step = Step(gap, kind, producer, event_type=event_type)
        at += gap + step.seconds + 15.0  # a fault's recovery takes time too
        if at > duration - tail:
            break
        steps.append(step)
    return Nemesis(seed, steps)


async def strike(
    stack: FaultStack, nemesis: Nemesis, step: Step, consumers: list[Consumer]
) -> None:
    """Inflict one fault and heal it."""
    if step.kind in ("kill", "replica"):
        stack.kill_service(step.service, step.index)
        await asyncio.sleep(step.seconds)
        stack.restart_service(step.service, step.index)
        await stack.wait_healthy_async(step.service)
    elif step.kind == "postgres":
        stack.stop_postgres()
        await asyncio.sleep(step.seconds)
        stack.start_postgres()
    elif step.kind == "broker":
        stack.kill_broker()
        await asyncio.sleep(step.seconds)
        stack.start_broker_empty()
        nemesis.poison.clear()  # the DLQ topics (and the poison itself) went with the log
    elif step.kind == "relay_lock":
        await stack.terminate_relay_lock(step.service)
    elif step.kind == "poison":
        topic = events_topic(step.service)
        if step.event_type:
            event_id = await stack.publish_unprocessable_event(step.service, step.event_type)
            nemesis.poison.append(unprocessable_poison(topic, event_id, step.event_type, consumers))
        else:
            value = await stack.publish_invalid_envelope(step.service)
            nemesis.poison.append(invalid_envelope_poison(topic, value, consumers))
    nemesis.done.append(step.describe())
