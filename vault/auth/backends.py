"""Sign-in with an email address and password, and the user of each request read cheaply."""

from django.contrib.auth.backends import ModelBackend

from vault.auth.models import User
from vault.compiled import CompiledQuery

user_by_id = CompiledQuery(lambda user_id: User.objects.filter(pk=user_id))


class AccountBackend(ModelBackend):
    """Django's ModelBackend, reading the user of every request with a query compiled once."""

    def get_user(self, user_id):
        users = user_by_id(user_id)
        if users and self.user_can_authenticate(users[0]):
            return users[0]
        return None
