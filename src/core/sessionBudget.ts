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

export type BudgetAnswer = { ok: true; reservation: Reservation } | { ok: false; message: string };

export class SessionBudget {
  private spentSoFar = 0;
  private reserved = 0;

  /** `limit` in dollars; undefined: no budget. */
  constructor(readonly limit: number | undefined) {}

  get spent(): number {
    return this.spentSoFar;
  }

  /** `estimate` undefined: the price is unknown, which no budget can bound. */
  reserve(estimate: number | undefined, what: string): BudgetAnswer {
    const limit = this.limit;
    if (limit === undefined) return { ok: true, reservation: this.hold(estimate ?? 0) };
    const used = this.spentSoFar + this.reserved;
    const left = Math.max(0, limit - used);
    const figures = `this session has spent ${formatDollars(this.spentSoFar)}${this.reserved ? ` (and ${formatDollars(this.reserved)} is running)` : ''} of its ${formatDollars(limit)} budget, ${formatDollars(left)} left`;
    if (estimate === undefined) return { ok: false, message: `Refused: the cost of ${what} is unknown (a model without a published price), so the budget cannot bound it; ${figures}. Nothing was sent.` };
    if (used + estimate > limit + 1e-9) return { ok: false, message: `Refused: ${what} would cost about ${formatDollars(estimate)}, and ${figures}. Nothing was sent. Ask the user before spending more (they can raise the budget).` };
    return { ok: true, reservation: this.hold(estimate) };
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
