"""Celery finds the surveys' tasks here (autodiscovery reads <app>.tasks)."""

from itas.surveys.credibility.tasks import reanalyse_cycle, sweep_credibility_runs

__all__ = ["reanalyse_cycle", "sweep_credibility_runs"]
