// Dollar amounts as the host and the panel show them: enough digits for a fraction of a cent,
// never a long float.

export function formatDollars(amount: number): string {
  if (amount > 0 && amount < 0.1) return `$${amount.toFixed(4).replace(/0+$/, '')}`;
  const three = amount.toFixed(3);
  return `$${three.endsWith('0') ? amount.toFixed(2) : three}`;
}
