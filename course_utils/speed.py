"""The same GPT, fast: precision, torch.compile, fused attention and optimizer, a padded vocabulary, TF32 (chapter 11).

Each change is a :class:`Settings` field, so that a table can switch them on one at a time and measure each:

* ``precision``: the dtype of the matrix products under ``torch.autocast``: ``bfloat16`` on GPUs that have it
  (Ampere and later), ``float16`` with a gradient scaler on older GPUs (their fp16 has too few exponent bits for
  small gradients, so the loss is scaled up before backward and the gradients down before the step), and
  ``float32`` on a CPU (autocast there would be slower) and on Apple GPUs (:func:`default_precision`);
* ``compile``: ``torch.compile`` fuses the model's many small operations into fewer kernels. It needs a C
  compiler and, for GPUs, Triton: on Windows without one, on Apple GPUs, or where it fails, :func:`compile_model`
  returns the model uncompiled and says why. Compiling takes tens of seconds, so the chapter never compiles on
  a CPU; ``benchmarks/gpu.py`` measures it;
* ``fast_attention``: torch's ``scaled_dot_product_attention`` (chapter 10's config switch), flash attention on
  GPUs that have it;
* ``fused_adamw``: AdamW updating every weight in one kernel instead of a loop of small ones;
* ``pad_vocab``: the vocabulary padded to a multiple of 64 (the extra rows are never a target), which lets the
  largest matrix product use the GPU's fast tile sizes;
* ``tf32``: float32 matrix products on tensor cores with a 10-bit mantissa (Ampere and later).

:func:`measure_training` times ``steps`` training steps after ``warmup`` untimed ones and reports tokens per
second, MFU (:mod:`course_utils.flops`) and peak memory.
"""

from __future__ import annotations

import dataclasses
import platform
import shutil
import time
from dataclasses import dataclass

import torch
import torch.nn.functional as F

from course_utils import flops, validate
from course_utils.gpt import GPT, GPTConfig
from course_utils.training import adamw_for_gpt, set_learning_rate, warmup_cosine_lr


@dataclass(frozen=True)
class Settings:
    """Which speed-ups a training run uses (all off: the course's plain float32 GPT)."""

    precision: str = "float32"
    compile: bool = False
    fast_attention: bool = False
    fused_adamw: bool = False
    pad_vocab: bool = False
    tf32: bool = False

    def __post_init__(self) -> None:
        object.__setattr__(self, "precision", flops._precision(self.precision))
        if self.precision == "tf32":
            raise ValueError("Settings.precision 'tf32' is not an autocast dtype: use precision='float32', tf32=True.")
        for name in ("compile", "fast_attention", "fused_adamw", "pad_vocab", "tf32"):
            if not isinstance(getattr(self, name), bool):
                raise TypeError(f"Settings.{name} must be True or False, got {validate.describe(getattr(self, name))}.")

    def label(self) -> str:
        """A short name of what is switched on, for a table."""
        parts = [self.precision if self.precision != "float32" else ""]
        parts += [
            name for name in ("tf32", "fast_attention", "fused_adamw", "pad_vocab", "compile") if getattr(self, name)
        ]
        return " + ".join(part for part in parts if part) or "float32 (baseline)"


def _device(device: object) -> torch.device:
    if isinstance(device, str):
        try:
            device = torch.device(device)
        except RuntimeError:
            raise ValueError(
                f"device {device!r} is not a device torch knows: use 'cpu', 'cuda', 'cuda:1' or 'mps' "
                f"(course_utils.pick_device() chooses one)."
            ) from None
    if not isinstance(device, torch.device):
        raise TypeError(f"device must be a torch.device or a string such as 'cuda', got {validate.describe(device)}.")
    return device


def device_name(device: torch.device | str) -> str:
    """The name the peak table is keyed by: the GPU's name, ``Apple`` plus the chip on a Mac, else the CPU's."""
    device = _device(device)
    if device.type == "cuda":
        if not torch.cuda.is_available():
            raise RuntimeError("device is 'cuda' but torch sees no NVIDIA GPU here: use 'cpu' (or pick_device()).")
        return torch.cuda.get_device_name(device)
    if device.type == "mps":
        return _apple_chip() or "Apple GPU"
    try:
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.partition(":")[2].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine() or "CPU"


def _apple_chip() -> str | None:
    import subprocess

    try:
        out = subprocess.run(
            ["sysctl", "-n", "machdep.cpu.brand_string"], capture_output=True, text=True, timeout=5, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None  # "Apple M2 Pro"


def bf16_supported(device: torch.device | str) -> bool:
    """Whether ``device`` does bfloat16 matrix products natively (NVIDIA Ampere, compute capability 8.0, and later)."""
    device = _device(device)
    if device.type != "cuda":
        return False
    return torch.cuda.get_device_capability(device) >= (8, 0)


def default_precision(device: torch.device | str) -> str:
    """bfloat16 on GPUs that have it, float16 (with a gradient scaler) on older NVIDIA GPUs, float32 elsewhere."""
    device = _device(device)
    if device.type == "cuda":
        return "bfloat16" if bf16_supported(device) else "float16"
    return "float32"


def check_precision(precision: str, device: torch.device | str) -> str:
    """``precision`` if ``device`` can train in it; a ValueError that says what to use instead if not."""
    precision = flops._precision(precision)
    device = _device(device)
    if precision == "bfloat16" and device.type == "cuda" and not bf16_supported(device):
        raise ValueError(
            f"precision bfloat16: this GPU ({torch.cuda.get_device_name(device)}, compute capability "
            f"{'.'.join(map(str, torch.cuda.get_device_capability(device)))}) has no bfloat16 matrix units. Use "
            f"precision='float16' (the course adds a gradient scaler) or 'float32'."
        )
    if precision in ("bfloat16", "float16") and device.type in ("cpu", "mps"):
        raise ValueError(
            f"precision {precision} on {device.type}: the course trains in float32 there (autocast on a CPU is "
            f"slower, and Apple GPUs gain little). Use precision='float32'."
        )
    if precision == "tf32":
        raise ValueError("precision 'tf32' is set with Settings(tf32=True) and float32 precision, not as a dtype.")
    return precision


def padded_vocab_size(vocab_size: int, multiple: int = 64) -> int:
    """``vocab_size`` rounded up to a multiple of ``multiple`` (50,257 -> 50,304 for 64)."""
    vocab_size = validate.whole_number(vocab_size, "vocab_size", minimum=1)
    multiple = validate.whole_number(multiple, "multiple", minimum=1)
    return -(-vocab_size // multiple) * multiple


def compile_model(model: torch.nn.Module, device: torch.device | str) -> tuple[torch.nn.Module, str]:
    """``(torch.compile(model), "compiled")`` where compiling works, else ``(model, why not)``.

    Not on a CPU (the chapter's rule: it takes tens of seconds and gains little there), not on Apple GPUs
    (torch.compile does not support them well), not on Windows without the MSVC compiler ``cl``. torch.compile
    compiles at the first call: :func:`measure_training` runs that call inside a fallback, so a failure there
    gives the uncompiled model too.
    """
    device = _device(device)
    if not isinstance(model, torch.nn.Module):
        raise TypeError(f"model must be a torch.nn.Module, got {validate.describe(model)}.")
    if device.type == "cpu":
        return model, "not compiled: on a CPU compiling costs more than it saves here (see benchmarks/gpu.py)"
    if device.type == "mps":
        return model, "not compiled: torch.compile does not support Apple GPUs well"
    if platform.system() == "Windows" and shutil.which("cl") is None:
        return model, "not compiled: on Windows torch.compile needs the MSVC compiler (cl.exe), not found"
    return torch.compile(model), "compiled"


def fused_adamw_supported(device: torch.device | str) -> bool:
    """Whether torch's fused AdamW runs on ``device`` (CUDA and, since torch 2.4, CPU; MPS since 2.5)."""
    device = _device(device)
    try:
        probe = torch.nn.Parameter(torch.zeros(1, device=device))
        torch.optim.AdamW([probe], fused=True)
    except (RuntimeError, TypeError, ValueError):
        return False
    return True


@dataclass
class Measurement:
    """What :func:`measure_training` measured for one setting."""

    settings: Settings
    device: str
    tokens_per_second: float
    mfu: float | None
    peak_memory_bytes: float | None
    warmup_seconds: float
    loss: float
    note: str = ""


def has_fast_attention() -> bool:
    """Whether this checkout's GPTConfig has chapter 10's ``fast_attention`` switch (SDPA)."""
    return any(field.name == "fast_attention" for field in dataclasses.fields(GPTConfig))


def _step_machinery(
    model: GPT, settings: Settings, device: torch.device, precision: str
) -> tuple[torch.nn.Module, str, torch.amp.GradScaler, dict]:
    """What a timed step runs with: the model (compiled if asked and possible), a note on why not, the gradient
    scaler (on for float16 only) and the autocast arguments for ``precision``."""
    runner, note = model, ""
    if settings.compile:
        runner, why = compile_model(model, device)
        note = "" if why == "compiled" else why + ". "
    scaler = torch.amp.GradScaler(device.type, enabled=precision == "float16")
    autocast = {"device_type": device.type, "dtype": getattr(torch, precision), "enabled": precision != "float32"}
    return runner, note, scaler, autocast


def build_model(config: GPTConfig, settings: Settings, device: torch.device | str, seed: int = 0) -> GPT:
    """The course's GPT for ``settings``: vocabulary padded and SDPA switched on if asked, on ``device``."""
    device = _device(device)
    if not isinstance(config, GPTConfig):
        raise TypeError(f"config must be a GPTConfig, got {validate.describe(config)}.")
    if not isinstance(settings, Settings):
        raise TypeError(f"settings must be a Settings (speed.Settings(...)), got {validate.describe(settings)}.")
    changes = {}
    if settings.pad_vocab:
        changes["vocab_size"] = padded_vocab_size(config.vocab_size)
    if settings.fast_attention:
        if not has_fast_attention():
            raise ValueError("fast_attention needs chapter 10's GPTConfig.fast_attention switch, not in this checkout.")
        changes["fast_attention"] = True
    torch.manual_seed(seed)
    return GPT(dataclasses.replace(config, **changes)).to(device)


def _scaled_step(
    runner: torch.nn.Module,
    model: torch.nn.Module,
    optimizer: torch.optim.Optimizer,
    scaler: torch.amp.GradScaler,
    autocast: dict,
    x: torch.Tensor,
    y: torch.Tensor,
) -> torch.Tensor:
    """One training step in the chosen precision: the forward under autocast (``runner`` may be the compiled
    ``model``), the loss in float32, the gradient scaled (float16 only), unscaled before clipping to norm 1.

    Returns the loss tensor without reading it, so that the caller decides when to wait for the device.
    """
    with torch.autocast(**autocast):
        logits = runner(x)
        loss = F.cross_entropy(logits.flatten(0, 1).float(), y.flatten())
    optimizer.zero_grad(set_to_none=True)
    scaler.scale(loss).backward()
    scaler.unscale_(optimizer)  # clip the true gradient, not the scaled one
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    scaler.step(optimizer)
    scaler.update()
    return loss


def measure_training(
    config: GPTConfig,
    settings: Settings,
    device: torch.device | str,
    ids: torch.Tensor,
    *,
    batch_size: int,
    steps: int,
    warmup: int = 2,
    seed: int = 0,
) -> Measurement:
    """Train a fresh GPT of ``config`` on random windows of ``ids`` with ``settings``; time ``steps`` steps after
    ``warmup`` untimed ones (the compile happens in these); return a :class:`Measurement`.

    MFU uses :func:`course_utils.flops.flops_per_token` and the device's peak in the run's precision (TF32's peak
    when ``tf32`` is on); None where the peak is unknown. Peak memory is ``torch.cuda.max_memory_allocated`` on
    a GPU, None elsewhere.
    """
    device = _device(device)
    if not isinstance(config, GPTConfig):
        raise TypeError(f"config must be a GPTConfig, got {validate.describe(config)}.")
    if not isinstance(settings, Settings):
        raise TypeError(f"settings must be a Settings, got {validate.describe(settings)}.")
    batch_size = validate.whole_number(batch_size, "batch_size", minimum=1)
    steps = validate.whole_number(steps, "steps", minimum=1)
    warmup = validate.whole_number(warmup, "warmup", minimum=0)
    if not isinstance(ids, torch.Tensor):
        raise TypeError(f"ids must be a 1-D tensor of token ids, got {validate.describe(ids)}: torch.tensor(ids).")
    validate.token_ids(
        ids, "ids", vocab_size=config.vocab_size, check_range=True, min_length=config.context + 2,
        hint="A step reads windows of context ids and their next ids: pass the encoded text, or a shorter context.",
    )  # fmt: skip
    precision = check_precision(settings.precision, device)
    note = ""
    if settings.tf32 and device.type != "cuda":
        note = "TF32 exists on NVIDIA GPUs only: no effect here. "
    old_tf32 = torch.backends.cuda.matmul.allow_tf32
    torch.backends.cuda.matmul.allow_tf32 = settings.tf32
    try:
        model = build_model(config, settings, device, seed)
        fused = settings.fused_adamw and fused_adamw_supported(device)
        if settings.fused_adamw and not fused:
            note += "fused AdamW is not supported here: the usual one. "
        optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3, fused=True if fused else None)
        runner, compile_note, scaler, autocast = _step_machinery(model, settings, device, precision)
        note += compile_note
        generator = torch.Generator().manual_seed(seed)
        ids = ids.to(device)

        def step() -> float:
            starts = torch.randint(len(ids) - config.context - 1, (batch_size,), generator=generator).to(device)
            positions = starts[:, None] + torch.arange(config.context, device=device)
            loss = _scaled_step(runner, model, optimizer, scaler, autocast, ids[positions], ids[positions + 1])
            return loss.item()  # .item() waits for the device: each step is timed to its end

        start = time.perf_counter()
        for _ in range(warmup):
            try:
                step()
            except Exception as error:  # noqa: BLE001 - a compile that fails at its first call falls back
                if runner is model:
                    raise
                runner, note = model, note + f"torch.compile failed ({type(error).__name__}); not compiled. "
                step()
        warmup_seconds = time.perf_counter() - start
        if device.type == "cuda":
            torch.cuda.reset_peak_memory_stats(device)
        start = time.perf_counter()
        for _ in range(steps):
            loss = step()
        seconds = time.perf_counter() - start
        tokens_per_second = steps * batch_size * config.context / seconds
        n_params = model.num_params(include_position=False)
        per_token = flops.flops_per_token(n_params, config.n_layer, config.context, config.d_model)
        name = device_name(device)
        peak_precision = "tf32" if (precision == "float32" and settings.tf32) else precision
        if device.type == "cpu":
            peak = flops.cpu_peak_flops().flops if precision == "float32" else None
        else:
            peak = flops.peak_flops(name, peak_precision)
        utilisation = None if peak is None else flops.mfu(tokens_per_second, per_token, {"peak": peak}, "peak")
        memory = float(torch.cuda.max_memory_allocated(device)) if device.type == "cuda" else None
    finally:
        torch.backends.cuda.matmul.allow_tf32 = old_tf32
    return Measurement(settings, name, tokens_per_second, utilisation, memory, warmup_seconds, loss, note.strip())


def one_at_a_time(device: torch.device | str) -> list[Settings]:
    """The table's rows: the baseline, then each change alone, then all that apply to ``device`` together.

    On a CPU the rows that cannot apply (16-bit precision, TF32, compile) are left out, each said why by
    :func:`skipped_on`.
    """
    device = _device(device)
    rows = [Settings()]
    if device.type == "cuda":
        rows.append(Settings(tf32=True))
        rows.append(Settings(precision=default_precision(device)))
    if has_fast_attention():
        rows.append(Settings(fast_attention=True))
    rows += [Settings(fused_adamw=True), Settings(pad_vocab=True)]
    if device.type == "cuda":
        rows.append(Settings(compile=True))
    everything = {"fused_adamw": True, "pad_vocab": True, "fast_attention": has_fast_attention()}
    if device.type == "cuda":
        everything |= {"tf32": True, "compile": True, "precision": default_precision(device)}
    rows.append(Settings(**everything))
    return rows


def skipped_on(device: torch.device | str) -> list[str]:
    """What :func:`one_at_a_time` leaves out on ``device``, and why."""
    device = _device(device)
    if device.type == "cuda":
        return []
    return [
        "bf16/fp16 autocast: a CPU or Apple GPU trains in float32",
        "TF32: NVIDIA Ampere GPUs and later only",
        "torch.compile: not compiled on a CPU in the chapter (its cost is in benchmarks/gpu.py's table)",
    ]


def format_table(measurements: list[Measurement]) -> str:
    """A Markdown table of measurements: setting, tokens/s, speed-up over the first row, MFU, peak memory."""
    if not isinstance(measurements, list) or not all(isinstance(m, Measurement) for m in measurements):
        raise TypeError(f"measurements must be a list of Measurement, got {validate.describe(measurements)}.")
    if not measurements:
        raise ValueError("measurements is empty: measure at least the baseline.")
    base = measurements[0].tokens_per_second
    lines = [
        f"device: {measurements[0].device}",
        "",
        "| setting | tokens/s | vs baseline | MFU | peak memory | warm-up s | note |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for m in measurements:
        mfu_text = "unknown" if m.mfu is None else f"{100 * m.mfu:.1f}%"
        memory = "n/a" if m.peak_memory_bytes is None else f"{m.peak_memory_bytes / 2**20:,.0f} MiB"
        lines.append(
            f"| {m.settings.label()} | {m.tokens_per_second:,.0f} | {m.tokens_per_second / base:.2f} | {mfu_text} "
            f"| {memory} | {m.warmup_seconds:.1f} | {m.note} |"
        )
    return "\n".join(lines)


@dataclass
class TimeToLoss:
    """What :func:`train_to_loss` saw: whether it reached the target, when, and the held-out losses on the way."""

    reached: bool
    seconds: float
    steps: int
    best_loss: float
    history: list[tuple[int, float, float]]  # (step, seconds, held-out loss)
    note: str = ""


def train_to_loss(
    config: GPTConfig,
    settings: Settings,
    device: torch.device | str,
    train_ids: torch.Tensor,
    heldout_ids: torch.Tensor,
    *,
    target: float,
    budget_s: float,
    batch_size: int = 64,
    lr: float = 1e-3,
    min_lr: float = 1e-4,
    warmup_steps: int = 100,
    decay_steps: int = 5000,
    eval_every: int = 250,
    eval_windows: int = 256,
    seed: int = 0,
    log: bool = True,
) -> TimeToLoss:
    """Train a fresh GPT with ``settings`` until its held-out loss is at most ``target`` or ``budget_s`` (wall-clock,
    evaluations included) passes.

    AdamW (betas 0.9, 0.99, weight decay 0.1 on matrices) with a linear warm-up and a cosine decay, as nanoGPT's
    ``train_shakespeare_char``; gradients clipped to 1. Every ``eval_every`` steps the loss on ``eval_windows``
    fixed held-out windows is measured (not counted in the time). The time includes the compile, if any.
    """
    device = _device(device)
    target = validate.real_number(target, "target", above=0.0)
    budget_s = validate.real_number(budget_s, "budget_s", above=0.0)
    for name, value in (("train_ids", train_ids), ("heldout_ids", heldout_ids)):
        if not isinstance(value, torch.Tensor) or value.ndim != 1 or len(value) <= config.context + 1:
            raise ValueError(
                f"{name} must be a 1-D tensor of ids longer than the context, got {validate.describe(value)}."
            )
    precision = check_precision(settings.precision, device)
    old_tf32 = torch.backends.cuda.matmul.allow_tf32
    torch.backends.cuda.matmul.allow_tf32 = settings.tf32
    note = ""
    try:
        model = build_model(config, settings, device, seed)
        fused = settings.fused_adamw and fused_adamw_supported(device)
        optimizer = adamw_for_gpt(model, lr, 0.1, (0.9, 0.99), fused=fused)
        runner, compile_note, scaler, autocast = _step_machinery(model, settings, device, precision)
        note += compile_note
        generator = torch.Generator().manual_seed(seed)
        train_ids, heldout_ids = train_ids.to(device), heldout_ids.to(device)
        eval_starts = torch.randint(len(heldout_ids) - config.context - 1, (eval_windows,), generator=generator)
        eval_positions = (eval_starts[:, None] + torch.arange(config.context)).to(device)

        def heldout_loss() -> float:
            model.eval()
            total = 0.0
            with torch.no_grad(), torch.autocast(**autocast):
                for chunk in eval_positions.split(batch_size):
                    logits = runner(heldout_ids[chunk])
                    total += F.cross_entropy(
                        logits.flatten(0, 1).float(), heldout_ids[chunk + 1].flatten(), reduction="sum"
                    ).item()
            model.train()
            return total / eval_positions.numel()

        history: list[tuple[int, float, float]] = []
        best, seconds, step = float("inf"), 0.0, 0
        began = time.perf_counter()  # the evaluations are not counted in ``seconds``, but they use the budget too
        model.train()
        while time.perf_counter() - began < budget_s:
            start = time.perf_counter()
            rate = warmup_cosine_lr(
                step,
                peak_lr=lr,
                min_lr=min_lr,
                warmup_steps=warmup_steps,
                decay_steps=max(decay_steps, warmup_steps + 1),
            )
            set_learning_rate(optimizer, rate)
            starts = torch.randint(len(train_ids) - config.context - 1, (batch_size,), generator=generator).to(device)
            positions = starts[:, None] + torch.arange(config.context, device=device)
            loss = _scaled_step(
                runner, model, optimizer, scaler, autocast, train_ids[positions], train_ids[positions + 1]
            )
            step += 1
            if step % eval_every == 0:
                loss.item()  # wait for the device before stopping the clock
                seconds += time.perf_counter() - start
                value = heldout_loss()
                best = min(best, value)
                history.append((step, seconds, value))
                if log:
                    print(f"    step {step}: held-out loss {value:.4f} at {seconds:.0f} s", flush=True)
                if value <= target:
                    return TimeToLoss(True, seconds, step, best, history, note.strip())
            else:
                seconds += time.perf_counter() - start
        return TimeToLoss(False, seconds, step, best, history, note.strip())
    finally:
        torch.backends.cuda.matmul.allow_tf32 = old_tf32
