"""Right answers to chapter 08's exercises in other forms: einsum, loops over positions and heads, comparisons."""

import math

import torch


def attention_scores(q, k):
    return torch.einsum("...id,...jd->...ij", q, k) / q.shape[-1] ** 0.5  # einsum instead of a transpose


def causal_mask(T):
    positions = torch.arange(T)
    return positions[:, None] >= positions[None, :]  # a comparison instead of torch.tril


def attention_weights(scores, mask=None):
    if mask is None:
        mask = torch.ones_like(scores, dtype=torch.bool)
    exps = torch.where(mask, torch.exp(scores - scores.max(dim=-1, keepdim=True).values), torch.zeros_like(scores))
    totals = exps.sum(dim=-1, keepdim=True)
    return exps / torch.where(totals > 0, totals, torch.ones_like(totals))  # a softmax by hand


def single_head_attention(x, w_q, w_k, w_v):
    q, k, v = x @ w_q, x @ w_k, x @ w_v
    outputs = []
    for t in range(x.shape[-2]):  # one position at a time, looking at positions 0..t only
        scores = q[..., t : t + 1, :] @ k[..., : t + 1, :].transpose(-2, -1) / math.sqrt(q.shape[-1])
        outputs.append(torch.softmax(scores, dim=-1) @ v[..., : t + 1, :])
    return torch.cat(outputs, dim=-2)


def multi_head_attention(x, w_q, w_k, w_v, w_o, n_head):
    d_head = x.shape[-1] // n_head
    heads = []
    for h in range(n_head):  # one head at a time, on its slice of the columns
        columns = slice(h * d_head, (h + 1) * d_head)
        heads.append(single_head_attention(x, w_q[:, columns], w_k[:, columns], w_v[:, columns]))
    return torch.cat(heads, dim=-1) @ w_o


def cross_attention(x, context, w_q, w_k, w_v):
    scores = torch.einsum("bid,bjd->bij", x @ w_q, context @ w_k) / math.sqrt(w_q.shape[1])
    return torch.einsum("bij,bjd->bid", torch.softmax(scores, dim=-1), context @ w_v)


OTHER_FORMS = {
    "ch08.attention_scores": attention_scores,
    "ch08.causal_mask": causal_mask,
    "ch08.attention_weights": attention_weights,
    "ch08.single_head_attention": single_head_attention,
    "ch08.multi_head_attention": multi_head_attention,
    "ch08.cross_attention": cross_attention,
}
