"""Staff sign-in: Django's model backend, except that the signed-in user is
read with their company and department in one query. Every page reads both
(the scope of the cases shown, the top bar), and loading each lazily cost
a query per request (issue 8)."""

from django.contrib.auth.backends import ModelBackend

from .models import User


class StaffBackend(ModelBackend):
    def get_user(self, user_id):
        found = User.objects.select_related("company", "department").filter(
            pk=user_id
        )[:1]
        user = found[0] if found else None
        return user if user is not None and self.user_can_authenticate(user) else None
