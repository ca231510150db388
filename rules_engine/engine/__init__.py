"""The scoring engine: `evaluate(policy, document)` gives a scorecard whose scores are its traces.

Stages, one module each: `recipients` (several recipients' forms added up, when the policy says
so), `refusal` (a form of a kind the policy does not score), `reading` (target and actual
cells), `plan` (the policy compiled into closures and dispatch, once per policy), `rules`
(deciding a line: clause, result, clamp, round), `trace` (the decision told as steps; the score
is read back from the steps), `lines`, `budget`, `totals`, then `review` (the policy's 绩效目标审核
over the whole document, with `names` and `department`); `rules_engine.rounding` is the one
place scores are rounded.

Decisions the engine takes where the policy is silent:

* A value a clause needs but the line lacks (an empty or unreadable actual, a word where a
  number is needed, a division by zero) sends the line to ``review`` with the reason; it is
  never scored 0. Such lines also carry a data flag (``missing_actual``, ``unreadable_actual``,
  ``missing_target``, ``unreadable_target``, ``missing_weight``, ``no_rule``).
* Units: an actual without a unit takes the target's (``≥95%`` and ``94`` reads 94%); a target
  and an actual in two different units (万元 and 元, % and 次) are neither compared nor
  converted: the line goes to review and carries ``unit_mismatch``.
* A self-score outside a validated band carries ``self_score_out_of_band``.
* A targets-only form gets no scores: each line shows its target as read and the rule that
  would apply; targets that are not quantified carry ``target_not_quantified`` (worded and cited
  by the policy's target review when it has one, else noted by the engine itself).
* Lines awaiting review are left out of the total, which then carries ``total_incomplete``.
* A form of a kind the policy does not score (``forms``) is refused: every line goes to review,
  there is no total, and the form carries ``kind_not_scored``.
* A line the policy reads as not applicable has no score and is not pending; its weight leaves
  the applicable weight (over which ``rescale to`` scales the total).
"""

from rules_engine.engine.evaluator import evaluate, plan_for

__all__ = ["evaluate", "plan_for"]
