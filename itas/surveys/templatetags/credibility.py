"""{% explanations_waiting enrolment as n %}: how many of NACC's requests to explain the
agency has not answered yet (the agency's own pages link to them)."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def explanations_waiting(context, enrolment) -> int:
    user = context["request"].user
    if not user.has_perm("surveys.view_explanations", enrolment):
        return 0
    return enrolment.explanation_requests.filter(replied_at__isnull=True).count()
