// What an agent may spend in one session (the MCP server's life, or a VS Code window's): each call
// reserves its estimate before anything is sent, and a call that would pass the budget is refused
// with the figures. Calls running at once each hold their reservation, so two cannot both squeeze in.
import { formatDollars } from '../shared/money';

export interface Reservation {
  /** The call finished: count `actual` (default: the estimate) instead of the reservation. */
  settle(actual?: number): void;
  /** Nothing was spent (it failed before anything was billed, or was refused). */
  release(): void;
}

/** Why a call was refused, with the figures each front end words in its own language. */
export interface BudgetRefusal {
  /** over: the estimate passes what is left; unknown: the price is unknown, which no budget bounds. */
  reason: 'over' | 'unknown';
  estimate?: number;
  spent: number;
  /** Held by calls still running. */
  running: number;
  limit: number;
  left: number;
}

export type BudgetAnswer = { ok: true; reservation: Reservation } | { ok: false; refusal: BudgetRefusal };

export class SessionBudget {
  private spentSoFar: number;
  private reserved = 0;

  /** `limit` in dollars; undefined: no budget. */
  constructor(
    readonly limit: number | undefined,
    spent = 0,
  ) {
    this.spentSoFar = spent;
  }

  get spent(): number {
    return this.spentSoFar;
  }

  /** `estimate` undefined: the price is unknown. */
  reserve(estimate: number | undefined): BudgetAnswer {
    const refusal = this.check(estimate);
    return refusal ? { ok: false, refusal } : { ok: true, reservation: this.hold(estimate ?? 0) };
  }

  /** The refusal a call would meet now, without reserving anything (for a confirmation). */
  check(estimate: number | undefined): BudgetRefusal | undefined {
    const limit = this.limit;
    if (limit === undefined) return undefined;
    const used = this.spentSoFar + this.reserved;
    const figures = { estimate, spent: this.spentSoFar, running: this.reserved, limit, left: Math.max(0, Math.round((limit - used) * 10000) / 10000) };
    if (estimate === undefined) return { reason: 'unknown', ...figures };
    if (used + estimate > limit + 1e-9) return { reason: 'over', ...figures };
    return undefined;
  }

  private hold(amount: number): Reservation {
    this.reserved += amount;
    let open = true;
    const close = (spent: number) => {
      if (!open) return;
      open = false;
      this.reserved -= amount;
      this.spentSoFar += spent;
    };
    return { settle: (actual) => close(actual ?? amount), release: () => close(0) };
  }
}

/** The refusal in English, for the MCP server's agents. */
export function budgetRefusalText(r: BudgetRefusal, what: string): string {
  const figures = `this session has spent ${formatDollars(r.spent)}${r.running ? ` (and ${formatDollars(r.running)} is running)` : ''} of its ${formatDollars(r.limit)} budget, ${formatDollars(r.left)} left`;
  if (r.reason === 'unknown') return `Refused: the cost of ${what} is unknown (a model without a published price), so the budget cannot bound it; ${figures}. Nothing was sent.`;
  return `Refused: ${what} would cost about ${formatDollars(r.estimate ?? 0)}, and ${figures}. Nothing was sent. Ask the user before spending more (they can raise the budget).`;
}
