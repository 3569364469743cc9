// The chat tools' spending in this window, bounded by the user's geminiImage.agentBudget: a call
// that would pass it is refused with the figures before anything is sent.
import * as vscode from 'vscode';
import { formatDollars } from '../core/models';
import { SessionBudget, type BudgetRefusal } from '../core/sessionBudget';

let budget: SessionBudget | undefined;

/** The window's budget; a changed setting keeps what was spent. */
export function agentBudget(limit: number): SessionBudget {
  if (!budget || budget.limit !== limit) budget = new SessionBudget(limit, budget?.spent ?? 0);
  return budget;
}

export function budgetRefusalWords(r: BudgetRefusal, model: string): string {
  if (r.reason === 'unknown') {
    return vscode.l10n.t("Refused: the price of {0} is unknown, so the chat tools' budget of {1} cannot bound it. Nothing was sent. The user can set the model's price in geminiImage.pricePerImage.", model, formatDollars(r.limit));
  }
  return vscode.l10n.t(
    'Refused: this image would cost about {0}, and the chat tools have spent {1} of their {2} budget in this window ({3} left). Nothing was sent. Ask the user; they can raise geminiImage.agentBudget in their user settings.',
    formatDollars(r.estimate ?? 0),
    formatDollars(r.spent + r.running),
    formatDollars(r.limit),
    formatDollars(r.left),
  );
}
