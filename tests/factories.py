"""factory_boy factories for the nouns every app's tests need."""

import factory

from itas.accounts.models import RoleAssignment, User
from itas.agencies.models import Agency, AgencyKind
from itas.core.roles import Role
from itas.geo.models import AssessorGroup, District, Province

PASSWORD = "a-Strong-test-password-42"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    full_name = factory.Sequence(lambda n: f"ผู้ใช้ทดสอบ {n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    code = factory.Sequence(lambda n: f"6{38 + 0:02d}{(n // 100) % 100:02d}{n % 100:02d}")
    kind = AgencyKind.SAO
    name = factory.Sequence(lambda n: f"ทดสอบ{n}")
    province = factory.LazyFunction(lambda: Province.objects.get(code="38"))
    district = factory.LazyAttribute(lambda o: District.objects.filter(province=o.province).first())
    website = factory.LazyAttribute(lambda o: f"https://www.{o.code}.go.th")


class AssessorGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AssessorGroup

    name = factory.Sequence(lambda n: f"กลุ่มที่ {n}")
    team_name = "มหาวิทยาลัยทดสอบ"


def grant(user: User, role: str, **scope) -> RoleAssignment:
    ra = RoleAssignment.objects.create(user=user, role=role, **scope)
    if hasattr(user, "_roles_cache"):
        del user._roles_cache
    return ra


__all__ = ["AgencyFactory", "AssessorGroupFactory", "PASSWORD", "Role", "UserFactory", "grant"]
