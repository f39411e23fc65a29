"""The SOAP interface payroll systems already speak: `SaveArbetsgivarintygService` at
/HR_SystemService/ArbetsgivarintygService.svc, as on Arbetsgivarintyg.nu."""

from __future__ import annotations

from flask import Flask, current_app, request


def _rate_limit() -> str:
    limit: str = current_app.config["API_RATE_LIMIT"]
    return limit


def _address() -> str:
    # The sender's key is in the body, read only by the view: count per address here.
    return f"address:{request.remote_addr}"


def init_app(app: Flask) -> None:
    """Register the endpoint; call after `app.api.init_app`, whose rate limiter it shares."""
    from app.soap import views  # noqa: PLC0415 - the views need the app's extensions

    app.register_blueprint(views.bp)
    app.extensions["csrf"].exempt(views.bp)  # authenticated in the body, no cookies
    app.extensions["intyga.limiter"].limit(_rate_limit, key_func=_address)(views.bp)
