/**
 * How the survey and the admin pages understand what a citizen types to find a procedure: without
 * diacritics or case ("dat dai" finds "Đất đai", "Đ" and "đ" are "d"), and with the words people use
 * rather than the official names ("sổ đỏ" finds "giấy chứng nhận quyền sử dụng đất"). Pure, so the
 * browser, the server and the tests share it; the stored `procedure.search_text` is `normaliseSearch` of
 * the name, codes and field.
 */
import { foldVietnamese } from '../text.ts'

/** Lower case, no diacritics, đ → d, punctuation as spaces, one space between words. */
export function normaliseSearch(text: string): string {
  return foldVietnamese(text.normalize('NFC'))
    .replace(/[^a-z0-9.]+/g, ' ')
    .replace(/(^|\s)\.+|\.+(?=\s|$)/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
}

/**
 * A small curated list: what people say (`says`) → words that occur in the official names or fields
 * (`finds`). Written with diacritics for the reader; compared normalised. Keep it short and certain: a
 * synonym only ever adds matches, it never hides the literal ones.
 */
export const PROCEDURE_SYNONYMS: ReadonlyArray<{ says: readonly string[]; finds: readonly string[] }> = [
  {
    says: ['sổ đỏ', 'sổ hồng', 'bìa đỏ', 'giấy đỏ', 'làm sổ'],
    finds: ['giấy chứng nhận quyền sử dụng đất'],
  },
  { says: ['khai sinh', 'giấy khai sinh', 'làm giấy khai sinh'], finds: ['đăng ký khai sinh'] },
  { says: ['khai tử', 'giấy báo tử'], finds: ['đăng ký khai tử'] },
  { says: ['kết hôn', 'đăng ký cưới', 'giấy kết hôn', 'giấy đăng ký kết hôn'], finds: ['đăng ký kết hôn'] },
  {
    says: ['hộ khẩu', 'nhập khẩu', 'sổ hộ khẩu', 'cư trú'],
    finds: ['cư trú', 'thường trú', 'tạm trú'],
  },
  { says: ['căn cước', 'cccd', 'cmnd', 'chứng minh nhân dân'], finds: ['căn cước'] },
  { says: ['công chứng', 'sao y', 'chứng thực'], finds: ['chứng thực'] },
  { says: ['xin phép xây nhà', 'xây nhà', 'phép xây dựng'], finds: ['giấy phép xây dựng'] },
  { says: ['lý lịch', 'lý lịch tư pháp'], finds: ['lý lịch tư pháp'] },
  { says: ['giấy phép kinh doanh', 'mở cửa hàng', 'đăng ký kinh doanh'], finds: ['hộ kinh doanh'] },
  { says: ['thi công chức', 'tuyển dụng', 'thi tuyển'], finds: ['tuyển công chức', 'xét tuyển'] },
]

const NORMALISED = PROCEDURE_SYNONYMS.map((s) => ({
  says: s.says.map(normaliseSearch),
  finds: s.finds.map(normaliseSearch),
}))

/** Whether `phrase` occurs in `text` as whole words (both normalised). */
function hasPhrase(text: string, phrase: string): boolean {
  return ` ${text} `.includes(` ${phrase} `)
}

const MAX_WORDS = 8
const MAX_ALTERNATIVES = 8

/**
 * The ways a query may match, each a list of words that must all occur in a procedure's search text:
 * the query's own words first, then one alternative per synonym it contains (the synonym's phrase
 * replaced by what it finds, the other words kept). An empty query has no alternative: it matches all.
 */
export function searchAlternatives(query: string): string[][] {
  // At most MAX_WORDS typed words; a synonym's own words come on top of them.
  const q = normaliseSearch(query).split(' ').filter(Boolean).slice(0, MAX_WORDS).join(' ')
  if (!q) return []
  const words = (text: string) => text.split(' ').filter(Boolean)
  const seen = new Set<string>()
  const out: string[][] = []
  const add = (text: string) => {
    const w = words(text)
    const key = w.join(' ')
    if (w.length && !seen.has(key)) {
      seen.add(key)
      out.push(w)
    }
  }
  add(q)
  for (const synonym of NORMALISED)
    for (const said of synonym.says) {
      if (!hasPhrase(q, said)) continue
      const rest = ` ${q} `.replace(` ${said} `, ' ').trim()
      for (const found of synonym.finds) add(`${found} ${rest}`)
    }
  return out.slice(0, MAX_ALTERNATIVES)
}

/** The text a procedure is found by: its name, both codes and its field, normalised. */
export function procedureSearchText(p: {
  nameVi: string
  code: string
  nationalCode?: string | null
  fieldVi: string
}): string {
  return normaliseSearch([p.nameVi, p.code, p.nationalCode ?? '', p.fieldVi].join(' '))
}
