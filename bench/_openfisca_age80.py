"""Run inside var/bench-openfisca (not the app's venv): OpenFisca computes the age-80 rule for
every resident, loading them from the same PostgreSQL database. Prints one JSON line."""

import json
import sys
import time
from datetime import date

import numpy as np
import psycopg
from openfisca_core import periods
from openfisca_core.entities import build_entity
from openfisca_core.simulation_builder import SimulationBuilder
from openfisca_core.taxbenefitsystems import TaxBenefitSystem
from openfisca_core.variables import Variable

Person = build_entity(key="person", plural="persons", label="居民", is_person=True)


class birth(Variable):
    value_type = date
    entity = Person
    definition_period = periods.ETERNITY
    label = "出生日期"


class has_allowance(Variable):
    value_type = bool
    entity = Person
    definition_period = periods.MONTH
    label = "已领高龄补贴"


class turns_80_without_allowance(Variable):
    value_type = bool
    entity = Person
    definition_period = periods.MONTH
    label = "本月满80周岁且未领高龄补贴"

    def formula(person, period, parameters):
        b = person("birth", period)
        year = b.astype("datetime64[Y]").astype(int) + 1970
        month = b.astype("datetime64[M]").astype(int) % 12 + 1
        start = period.start
        return (
            (year == start.year - 80)
            * (month == start.month)
            * np.logical_not(person("has_allowance", period))
        )


def main(dsn: str, month: str) -> None:
    t0 = time.perf_counter()
    with psycopg.connect(dsn) as conn, conn.cursor() as cur:
        cur.execute("SELECT id, birth_date, tags LIKE '%,高龄补贴,%' FROM outreach_resident")
        rows = cur.fetchall()
    ids = np.array([r[0] for r in rows])
    births = np.array([r[1] for r in rows], dtype="datetime64[D]")
    allowance = np.array([r[2] for r in rows], dtype=bool)
    loaded = time.perf_counter()
    system = TaxBenefitSystem([Person])
    for var in (birth, has_allowance, turns_80_without_allowance):
        system.add_variable(var)
    builder = SimulationBuilder()
    builder.create_entities(system)
    builder.declare_person_entity("person", [str(i) for i in ids])
    sim = builder.build(system)
    period = periods.period(month)
    sim.set_input("birth", periods.period(periods.ETERNITY), births)
    sim.set_input("has_allowance", period, allowance)
    result = sim.calculate("turns_80_without_allowance", period)
    done = time.perf_counter()
    print(
        json.dumps(
            {
                "seconds": done - t0,
                "load_seconds": loaded - t0,
                "matched": int(result.sum()),
                "people": len(ids),
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
