"""TOTP devices (A5, django-otp): enrolment, verification, the QR code.

Codes are single-use: django-otp's TOTPDevice keeps `last_t`, the time step
of the last accepted code, and refuses any code of that step or earlier.
The QR code is drawn on the server as SVG by `qrcode` (no external service
sees the secret)."""

import base64
import io

import qrcode
import qrcode.image.svg
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def enrolment_device(user) -> TOTPDevice:
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name="kesu", confirmed=False)


@transaction.atomic
def verify(device: TOTPDevice, token: str) -> bool:
    # Locked so two requests with one code cannot both pass the last_t check;
    # verify_token also applies django-otp's failure throttling.
    device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
    return device.verify_token(token)


def confirm(device: TOTPDevice) -> None:
    TOTPDevice.objects.filter(pk=device.pk).update(confirmed=True)


def secret(device: TOTPDevice) -> str:
    return base64.b32encode(device.bin_key).decode()


def qr_svg(device: TOTPDevice) -> str:
    image = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage)
    buffer = io.BytesIO()
    image.save(buffer)
    return buffer.getvalue().decode()
