import factory

from kesu.accounts.models import User
from kesu.accounts.services import user_set_roles

PASSWORD = "Kesu-Demo-2026!"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"测试员{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        self.save()
        if extracted:
            user_set_roles(user=self, roles=set(extracted))


def make_user(username: str, company, roles: list[str], department=None, **extra) -> User:
    return UserFactory(username=username, company=company, department=department,
                       roles=roles, **extra)
