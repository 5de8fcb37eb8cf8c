import functools

import factory
from django.contrib.auth.hashers import make_password

from kesu.accounts.models import User
from kesu.accounts.services import user_set_roles

PASSWORD = "Kesu-Demo-2026!"


@functools.cache
def password_hash() -> str:
    """Hashed once per test process: Argon2 is slow on purpose."""
    return make_password(PASSWORD)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"测试员{n}")
    password = factory.LazyFunction(password_hash)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        self.save()
        if extracted:
            user_set_roles(user=self, roles=set(extracted))


def make_user(
    username: str, company, roles: list[str], department=None, **extra
) -> User:
    return UserFactory(
        username=username, company=company, department=department, roles=roles, **extra
    )
