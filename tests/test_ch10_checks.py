"""Chapter 10's checks accept right answers written in other ways than the reference's.

tests/test_checks.py runs each check on the reference and on the wrong answers of tests/wrong_answers/ch10.py,
and tests/other_forms/ch10.py holds one other form per exercise; these are more of the ways a learner may
rightly write the same step (the loss over (B, V, T) logits, a log-softmax with nll_loss, the gradients zeroed
through the model, a temperature applied to the probabilities, a count of the trainable parameters only).
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

from course_utils.checks import get


def _passes(exercise_id: str, learner_fn) -> bool:
    return get(exercise_id).check(learner_fn) is learner_fn


def test_training_step_in_other_words():
    def transposed_logits(model, optimizer, x, y):
        model.zero_grad()
        loss = F.cross_entropy(model(x).transpose(1, 2), y)  # (B, V, T) logits with (B, T) targets
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)
        optimizer.step()
        return float(loss)

    def log_softmax_and_nll(model, optimizer, x, y):
        optimizer.zero_grad()
        log_probs = F.log_softmax(model(x), dim=-1)
        loss = F.nll_loss(log_probs.flatten(0, 1), y.flatten())
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        return loss.item()

    assert _passes("ch10.training_step", transposed_logits)
    assert _passes("ch10.training_step", log_softmax_and_nll)


def test_generate_with_the_temperature_on_the_probabilities():
    @torch.no_grad()
    def powered_probabilities(model, ids, max_new_tokens, temperature, generator):
        for _ in range(max_new_tokens):
            logits = model(ids[:, -model.config.context :])[:, -1]
            if temperature == 0:
                next_ids = logits.argmax(-1, keepdim=True)
            else:  # softmax(l / T) is softmax(l) to the power 1 / T, normalised
                probs = F.softmax(logits, -1) ** (1 / temperature)
                next_ids = torch.multinomial(probs / probs.sum(-1, keepdim=True), 1, generator=generator)
            ids = torch.cat([ids, next_ids], dim=1)
        return ids

    assert _passes("ch10.generate", powered_probabilities)


def test_count_parameters_of_the_trainable_ones():
    assert _passes("ch10.count_parameters", lambda model: sum(p.numel() for p in model.parameters() if p.requires_grad))
    assert _passes("ch10.count_parameters", lambda model: sum(p.numel() for _, p in model.named_parameters()))
