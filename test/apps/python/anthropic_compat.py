"""Stubs that let openinference-instrumentation-anthropic 1.1.2 instrument anthropic 1.x.

Its _instrument() imports three things the anthropic 1.x SDK no longer has: the legacy text-completions
resource (anthropic.resources.completions), beta Messages.stream, and anthropic._utils._transform
(whose transform() it wraps to read the request parameters). Without them instrument() raises
ModuleNotFoundError / AttributeError before patching anything. The stubs are never called by the SDK
or the scenarios; Messages.create, the method the scenarios use, is patched as usual. Same approach
as test/apps/traceloop-anthropic.cjs for @traceloop/instrumentation-anthropic on @anthropic-ai/sdk 1.x.
"""

from __future__ import annotations

import sys
import types
from typing import Any


def _removed(*_args: Any, **_kwargs: Any) -> Any:
    raise NotImplementedError("not available in anthropic 1.x (stub for openinference-instrumentation-anthropic)")


async def _removed_async(*_args: Any, **_kwargs: Any) -> Any:
    raise NotImplementedError("not available in anthropic 1.x (stub for openinference-instrumentation-anthropic)")


def _identity(data: Any, *_args: Any, **_kwargs: Any) -> Any:
    return data


async def _identity_async(data: Any, *_args: Any, **_kwargs: Any) -> Any:
    return data


def install_anthropic_1x_stubs() -> list[str]:
    """Adds whatever is missing; returns what was stubbed (printed by the app, kept in no fixture)."""
    stubbed: list[str] = []
    try:
        import anthropic.resources.completions  # noqa: F401
    except ModuleNotFoundError:
        mod = types.ModuleType("anthropic.resources.completions")
        mod.Completions = type("Completions", (), {"create": _removed})  # type: ignore[attr-defined]
        mod.AsyncCompletions = type("AsyncCompletions", (), {"create": _removed_async})  # type: ignore[attr-defined]
        sys.modules[mod.__name__] = mod
        stubbed.append(mod.__name__)
    try:
        import anthropic._utils._transform  # noqa: F401
    except ModuleNotFoundError:
        mod = types.ModuleType("anthropic._utils._transform")
        mod.transform = _identity  # type: ignore[attr-defined]
        mod.async_transform = _identity_async  # type: ignore[attr-defined]
        sys.modules[mod.__name__] = mod
        stubbed.append(mod.__name__)
    from anthropic.resources.beta import messages as beta

    for cls, fn in ((beta.Messages, _removed), (beta.AsyncMessages, _removed_async)):
        for name in ("create", "stream", "parse"):
            if not hasattr(cls, name):
                setattr(cls, name, fn)
                stubbed.append(f"anthropic.resources.beta.messages.{cls.__name__}.{name}")
    return stubbed
