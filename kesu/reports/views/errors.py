"""A refused report query or form: the error page with a 400."""

from django.shortcuts import render

from kesu.errors import DomainValidationError


def bad_query(
    request, exc: DomainValidationError, template: str = "reports/error.html"
):
    return render(request, template, {"message": exc.message}, status=400)


def bad_form(request, form):
    """A report form's errors, as bad_query shows a refused query (400)."""
    return render(
        request, "reports/error.html", {"message": form.errors.as_text()}, status=400
    )
