/** Text helpers that must behave the same in the browser, on the server and in every database. */

/**
 * Lower-case and strip Vietnamese diacritics ("Giấy phép xây dựng" → "giay phep xay dung"), so a citizen
 * typing without accents still finds the procedure. đ/Đ is a letter of its own, not a combining mark.
 */
export function foldVietnamese(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim()
}
