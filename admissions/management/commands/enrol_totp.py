"""Enrol an authenticator app (TOTP) for a staff account, from the server's terminal.

    python manage.py enrol_totp <username>            # first device for this account
    python manage.py enrol_totp <username> --replace  # lost phone: replace every device

Prints the otpauth:// URI and a QR code drawn in the terminal; scan it with any authenticator
app (FreeOTP, Aegis, Google Authenticator, 1Password ...), then sign in at the admin with the
6-digit code. The device is confirmed at once: run this only for the person in front of you.
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from admissions.views import CONFIRMED_NAME, device_secret_b32


class Command(BaseCommand):
    help = "Create a TOTP device for a staff user and print its QR code and otpauth:// URI."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Delete the user's existing authenticator devices first (lost or new phone).",
        )
        parser.add_argument(
            "--no-qr", action="store_true", help="Print only the URI and key, no QR code."
        )

    def handle(self, *args, username, replace=False, no_qr=False, **options):
        User = get_user_model()
        try:
            user = User.objects.get(**{User.USERNAME_FIELD: username})
        except User.DoesNotExist:
            raise CommandError(f"No user called {username!r}.") from None
        if not user.is_staff:
            raise CommandError(f"{username!r} is not a staff account.")
        existing = TOTPDevice.objects.filter(user=user, confirmed=True)
        if existing.exists() and not replace:
            raise CommandError(
                f"{username!r} already has an authenticator app. "
                "Use --replace to replace it (the old one stops working)."
            )
        with transaction.atomic():
            TOTPDevice.objects.filter(user=user).delete()
            device = TOTPDevice.objects.create(user=user, name=CONFIRMED_NAME, confirmed=True)
        uri = device.config_url
        self.stdout.write(f"Authenticator app enrolled for {username}.")
        if not no_qr:
            import segno

            self.stdout.write("Scan this QR code with the authenticator app:")
            segno.make(uri, error="m").terminal(out=self.stdout, compact=True)
        self.stdout.write(f"Or add this URI:  {uri}")
        self.stdout.write(f"Or type this key: {device_secret_b32(device)}")
        self.stdout.write("Then sign in to the admin with the 6-digit code the app shows.")
