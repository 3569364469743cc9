// The README's model tables, generated from catalogue.json (scripts/model-table.mjs writes them;
// a unit test fails when a README disagrees with the data).
import { CATALOGUE_CHECKED, IMAGE_MODELS, TIER_PRICE } from './imageModels';
import type { ImageModelSpec } from './types';

type Lang = 'en' | 'zh-CN';

const WORDS = {
  en: {
    intro: (checked: string) =>
      `Hints checked on ${checked} against Google's pages and relays' notes (each model's sources are in \`src/core/models/catalogue.json\`). **The endpoint's word wins**: a reply's \`modelStatus\`, a 404, or its models list overrides any date below. Prices are standard dollars per image; Flex and Batch cost ${TIER_PRICE.flex * 100}%, Priority up to ${TIER_PRICE.priority * 100}%. Figures marked * are not yet on Google's pricing page.`,
    head: '| Model (in order of the automatic choice) | Sizes | Aspect ratios | References | $ per image | Tiers | Status (Google\'s dates) |',
    noSize: '1K only (no size sent)',
    all14: 'all 14',
    standard10: 'the 10 standard',
    ga: (d?: string) => (d ? `GA since ${d}` : 'GA'),
    deprecated: (d?: string) => (d ? `deprecated ${d}` : 'deprecated'),
    stops: (announced: string, d: string) => `announced on ${announced}: stops ${d}`,
    past: (d: string) => `shut down ${d}`,
    noDate: 'no shutdown date',
    use: (id: string) => `use \`${id}\``,
    preview: 'preview',
  },
  'zh-CN': {
    intro: (checked: string) =>
      `以下为 ${checked} 对照 Google 页面与中转服务说明核对的参考信息（每个模型的来源见 \`src/core/models/catalogue.json\`）。**以端点的答复为准**：回复中的 \`modelStatus\`、404 或其模型列表优先于下表中的任何日期。价格为标准层级每张图片的美元价；Flex 与 Batch 为 ${TIER_PRICE.flex * 100}%，Priority 最高 ${TIER_PRICE.priority * 100}%。标 * 的价格尚未出现在 Google 的价格页上。`,
    head: '| 模型（按自动选择的顺序） | 尺寸 | 宽高比 | 参考图 | 每张美元 | 层级 | 状态（Google 公布的日期） |',
    noSize: '仅 1K（不发送尺寸）',
    all14: '全部 14 种',
    standard10: '10 种标准比例',
    ga: (d?: string) => (d ? `${d} 起正式发布` : '正式发布'),
    deprecated: (d?: string) => (d ? `${d} 弃用` : '已弃用'),
    stops: (announced: string, d: string) => `${announced} 公布：${d} 停用`,
    past: (d: string) => `${d} 已关闭`,
    noDate: '未公布关闭日期',
    use: (id: string) => `改用 \`${id}\``,
    preview: '预览版',
  },
} as const;

function status(m: ImageModelSpec, w: (typeof WORDS)[Lang]): string {
  const l = m.lifecycle;
  const parts: string[] = [];
  if (l.stage === 'ga') parts.push(w.ga(l.released));
  if (l.stage === 'preview') parts.push(w.preview);
  if (l.stage === 'deprecated') parts.push(w.deprecated(l.deprecated));
  if (l.shutdown) parts.push(l.shutdown <= CATALOGUE_CHECKED ? w.past(l.shutdown) : w.stops(l.announced ?? l.checked, l.shutdown));
  else if (l.stage === 'deprecated') parts.push(w.noDate);
  if (l.replacement) parts.push(w.use(l.replacement));
  return parts.join('; ');
}

function prices(m: ImageModelSpec): string {
  const sizes = Object.keys(m.prices) as (keyof ImageModelSpec['prices'])[];
  const mark = m.pricesConfirmed ? '' : ' *';
  return sizes.map((s) => `${m.prices[s]!.standard}${sizes.length > 1 ? ` (${s})` : ''}`).join(' / ') + mark;
}

export function modelTable(lang: Lang): string {
  const w = WORDS[lang];
  const rows = IMAGE_MODELS.map((m) =>
    [
      `\`${m.id}\``,
      m.imageSizes.length ? m.imageSizes.join(', ') : w.noSize,
      m.aspectRatios.length === 14 ? w.all14 : w.standard10,
      String(m.maxReferences),
      prices(m),
      m.serviceTiers.join(', '),
      status(m, w),
    ].join(' | '),
  );
  return [w.intro(CATALOGUE_CHECKED), '', w.head, '| --- | --- | --- | --- | --- | --- | --- |', ...rows.map((r) => `| ${r} |`)].join('\n');
}
