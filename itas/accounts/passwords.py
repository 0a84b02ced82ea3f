"""Django's four password validators with their help texts and errors in our own words, so
they have a Thai translation (Django's Thai catalogue lacks them, and the pages showed English)."""

from django.contrib.auth import password_validation as django
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


class UserAttributeSimilarityValidator(django.UserAttributeSimilarityValidator):
    def get_error_message(self):
        return _("The password is too similar to your %(verbose_name)s.")

    def get_help_text(self):
        return _("It must not look like your name or e-mail address.")


class MinimumLengthValidator(django.MinimumLengthValidator):
    def get_error_message(self):
        return (
            ngettext(
                "This password is too short: at least %d character, please.",
                "This password is too short: at least %d characters, please.",
                self.min_length,
            )
            % self.min_length
        )

    def get_help_text(self):
        return ngettext(
            "At least %(min_length)d character.",
            "At least %(min_length)d characters.",
            self.min_length,
        ) % {"min_length": self.min_length}


class CommonPasswordValidator(django.CommonPasswordValidator):
    def get_error_message(self):
        return _("This password is one of the most common ones; choose another.")

    def get_help_text(self):
        return _("Not a commonly used password.")


class NumericPasswordValidator(django.NumericPasswordValidator):
    def get_error_message(self):
        return _("This password is only digits; add letters.")

    def get_help_text(self):
        return _("Not only digits.")
