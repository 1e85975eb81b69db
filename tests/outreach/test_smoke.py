"""Seeded demo rules run end to end."""

from jiceng.outreach.actions import rule_run
from jiceng.outreach.models import Rule


def test_seeded_rules_run(db, person):
    sw = person("social_worker")
    for rule in Rule.objects.filter(region__code="330102003057"):
        assert rule.active, rule.test_results
        run = rule_run(rule=rule, by=sw.user)
        print(rule.name, run.matched, run.opened, run.closed, run.unassigned)
        assert run.matched > 0
        again = rule_run(rule=rule, by=sw.user)
        assert (again.opened, again.closed) == (0, 0)
