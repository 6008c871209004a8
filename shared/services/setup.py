"""Load a branch config into the store; run again, it updates services and counters in place."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field

from sqlalchemy import select

from shared.config import BranchConfig
from shared.services.counters import replace_assignments
from shared.store.database import Store
from shared.store.models import Branch, BranchKey, Counter, Service
from shared.store.unit_of_work import UnitOfWork


@dataclass
class SetupSummary:
    branch_created: bool = False
    services_added: list[str] = field(default_factory=list)
    services_updated: list[str] = field(default_factory=list)
    services_retired: list[str] = field(default_factory=list)
    counters_added: list[int] = field(default_factory=list)
    counters_updated: list[int] = field(default_factory=list)
    counters_retired: list[int] = field(default_factory=list)


def _service_fields(config: BranchConfig, index: int) -> dict[str, object]:
    s = config.services[index]
    dumped = s.model_dump(mode="json")
    keeps_place = s.transfer_keeps_place
    return {
        "prefix": s.prefix,
        "name_id": s.name_id,
        "name_en": s.name_en,
        "active": True,
        "daily_quota": s.daily_quota,
        "priority_allowed": s.priority_allowed,
        "transfer_keeps_place": (
            config.queue.transfer_keeps_place if keeps_place is None else keeps_place
        ),
        "mean_service_seconds": s.mean_service_minutes * 60.0,
        "target_wait_seconds": s.target_wait_minutes * 60,
        "details": {
            key: dumped[key]
            for key in ("issuing_hours", "documents_id", "documents_en", "info_id", "info_en")
        },
    }


def apply_branch_config(store: Store, config: BranchConfig) -> SetupSummary:
    """Create or update the branch; tickets and history are never touched."""
    summary = SetupSummary()
    code = config.branch.code
    with store.sessions() as session, session.begin():
        branch = session.scalar(select(Branch).where(Branch.code == code))
        if branch is None:
            branch = Branch(code=code)
            session.add(branch)
            summary.branch_created = True
        branch.name = config.branch.name
        branch.timezone = config.branch.timezone
        branch.settings = config.model_dump(mode="json")
        session.flush()
        if session.get(BranchKey, branch.id) is None:
            # Made once and kept: a new key would let a NIK book twice on one day.
            session.add(BranchKey(branch_id=branch.id, nik_key=secrets.token_hex(32)))
    with UnitOfWork(store, code) as uow:
        session = uow.session
        existing = {
            s.code: s
            for s in session.scalars(select(Service).where(Service.branch_id == uow.branch_id))
        }
        by_code: dict[str, Service] = {}
        for index, service_config in enumerate(config.services):
            values = _service_fields(config, index)
            service = existing.get(service_config.code)
            if service is None:
                service = Service(branch_id=uow.branch_id, code=service_config.code, **values)
                session.add(service)
                summary.services_added.append(service_config.code)
            else:
                changed = any(getattr(service, k) != v for k, v in values.items())
                for key, value in values.items():
                    setattr(service, key, value)
                if changed:
                    summary.services_updated.append(service_config.code)
            by_code[service_config.code] = service
        for service_code, service in existing.items():
            if service_code not in by_code and service.active:
                service.active = False
                summary.services_retired.append(service_code)
        session.flush()

        counters = {
            c.number: c
            for c in session.scalars(select(Counter).where(Counter.branch_id == uow.branch_id))
        }
        wanted = set()
        for counter_config in config.counters:
            wanted.add(counter_config.number)
            counter = counters.get(counter_config.number)
            if counter is None:
                counter = Counter(
                    branch_id=uow.branch_id, number=counter_config.number, state="closed"
                )
                session.add(counter)
                summary.counters_added.append(counter_config.number)
            service_ids = [by_code[c].id for c in counter_config.services]
            before = (
                counter.name,
                counter.call_policy,
                counter.active,
                [a.service_id for a in counter.assignments],
            )
            counter.name = counter_config.name
            counter.call_policy = counter_config.call_policy
            counter.active = True
            session.flush()
            if before[3] != service_ids:
                replace_assignments(uow, counter, service_ids)
            if counter_config.number not in summary.counters_added and before != (
                counter.name,
                counter.call_policy,
                True,
                service_ids,
            ):
                summary.counters_updated.append(counter_config.number)
        for number, counter in counters.items():
            if number not in wanted and counter.active:
                counter.active = False
                summary.counters_retired.append(number)
        uow.record("branch.configured", detail=_describe(summary))
        uow.commit()
    return summary


def _describe(summary: SetupSummary) -> str:
    parts = [
        f"{name.replace('_', ' ')}: {', '.join(map(str, value))}"
        for name, value in vars(summary).items()
        if isinstance(value, list) and value
    ]
    return "; ".join(parts) or "no change"
