/**
 * The short per-dossier rating in the style of Nghị định 61/2018 (amended by 107/2021): indicators scored
 * 2 / 1 / 0 and two overall questions on the three-level scale. Wording is reconstructed ([unconfirmed] in
 * docs/domain.md), so it ships as an editable template.
 *
 * Version 2 (issue #18 point 4) asks the citizen only what a citizen knows. The processing time against the
 * legal limit, the contacts needed and the agencies involved (D1, D3, D4) come from the one-stop-shop
 * system with the invitation and are shown, computed, on the form (docs/invitations.md); the time at each
 * agency (D2) is not asked at all. Where a citizen may not know (was the procedure published? is it offered
 * online?), "Không rõ" is an answer that counts as no answer (UNKNOWN_ANSWER).
 */
import type { ItemDefinition, ItemOption, QuestionnaireDefinition } from '../definition.ts'
import { THREE_LEVEL_SATISFIED, THREE_LEVEL_SCALE } from './scales.ts'
import { UNKNOWN_ANSWER } from '../../survey/response-schema.ts'
import { SUGGESTION_ITEM } from './sipas2017.ts'

const o = (value: string, labelVi: string, labelEn: string): ItemOption => ({ value, labelVi, labelEn })

function indicator(code: string, labelVi: string, labelEn: string, options: ItemOption[]): ItemDefinition {
  return {
    code,
    labelVi,
    labelEn,
    type: 'points210',
    role: 'criterion',
    required: true,
    countsInIndex: true,
    // 2 points is the full mark; 1 is acceptable, so "satisfied" starts at 1 as on the three-level scale.
    satisfiedThreshold: 1,
    options,
    maxLength: null,
  }
}

const moreEqualLess = () => [
  o('2', 'Trước hạn', 'Before the deadline'),
  o('1', 'Đúng hạn', 'On the deadline'),
  o('0', 'Quá hạn', 'After the deadline'),
]

/** How convenient the procedure was, scored like the three-level scale (2 / 1 / 0). */
const CONVENIENCE_SCALE: ItemOption[] = [
  o('2', 'Rất thuận tiện', 'Very convenient'),
  o('1', 'Thuận tiện', 'Convenient'),
  o('0', 'Không thuận tiện', 'Not convenient'),
]

/**
 * Version 1 as seeded before issue #18: it asked the citizen the objective indicators (D1–D4), including the
 * time at each agency, which a citizen cannot know. Kept word for word: databases seeded with it hold it as
 * their published version 1, and a new database gets it as version 1 too, so both have the same history.
 */
export const DOSSIER_RATING_V1: QuestionnaireDefinition = {
  code: 'ND61-DOSSIER',
  nameVi: 'Đánh giá việc giải quyết thủ tục hành chính (theo hồ sơ)',
  nameEn: 'Rating of a dossier’s handling',
  indexMethod: 'mean-of-item-indices',
  elements: [
    {
      code: 'D',
      weight: 1,
      titleVi: 'Việc giải quyết hồ sơ',
      titleEn: 'How your dossier was handled',
      items: [
        indicator('D1', 'Tổng thời gian giải quyết', 'Total processing time', moreEqualLess()),
        indicator('D2', 'Thời gian giải quyết tại từng cơ quan', 'Time at each agency involved', moreEqualLess()),
        indicator(
          'D3',
          'Số lần phải liên hệ để hoàn thiện hồ sơ',
          'Times you had to come back to complete the dossier',
          [o('2', 'Không lần nào', 'None'), o('1', 'Một lần', 'Once'), o('0', 'Nhiều hơn một lần', 'More than once')],
        ),
        indicator('D4', 'Số cơ quan phải liên hệ', 'Agencies you had to contact', [
          o('2', 'Một cơ quan', 'One'),
          o('1', 'Hai cơ quan', 'Two'),
          o('0', 'Từ ba cơ quan trở lên', 'Three or more'),
        ]),
        indicator('D5', 'Tiếp nhận và trả kết quả tại bộ phận một cửa', 'Received and returned at the one-stop shop', [
          o('2', 'Cả tiếp nhận và trả kết quả', 'Both'),
          o('1', 'Một trong hai', 'One of the two'),
          o('0', 'Không', 'Neither'),
        ]),
        indicator('D6', 'Thủ tục được công khai', 'The procedure was published', [
          o('2', 'Niêm yết và trực tuyến', 'Posted and online'),
          o('1', 'Một trong hai', 'One of the two'),
          o('0', 'Không', 'Neither'),
        ]),
        indicator('D7', 'Thái độ của công chức', 'Officials’ attitude', [
          o('2', 'Lịch sự, tận tình', 'Polite and helpful'),
          o('1', 'Bình thường', 'Ordinary'),
          o('0', 'Không lịch sự', 'Impolite'),
        ]),
        indicator('D8', 'Giải quyết phản ánh, kiến nghị', 'Handling of complaints', [
          o('2', 'Không có phản ánh hoặc đã được giải quyết thỏa đáng', 'No complaint, or resolved satisfactorily'),
          o('1', 'Giải quyết chậm', 'Resolved late'),
          o('0', 'Không được giải quyết', 'Not resolved'),
        ]),
        indicator('D9', 'Cung cấp dịch vụ công trực tuyến', 'Online public services', [
          o('2', 'Toàn trình', 'Fully online'),
          o('1', 'Một phần', 'Partly online'),
          o('0', 'Không có', 'Not available'),
        ]),
      ],
    },
  ],
  extraItems: [
    {
      code: 'R.convenience',
      role: 'other',
      type: 'scale3',
      required: true,
      countsInIndex: false,
      labelVi: 'Mức độ thuận tiện khi thực hiện thủ tục',
      labelEn: 'How convenient was the procedure?',
      satisfiedThreshold: THREE_LEVEL_SATISFIED,
      options: CONVENIENCE_SCALE,
      maxLength: null,
    },
    {
      code: 'R.overall',
      role: 'overall',
      type: 'scale3',
      required: true,
      countsInIndex: false,
      labelVi: 'Mức độ hài lòng chung của Ông/Bà về việc giải quyết hồ sơ',
      labelEn: 'Your overall satisfaction with how your dossier was handled',
      satisfiedThreshold: THREE_LEVEL_SATISFIED,
      options: THREE_LEVEL_SCALE,
      maxLength: null,
    },
    SUGGESTION_ITEM,
  ],
}

/** "Không rõ": the citizen does not know; stored as no answer, so it never counts against the agency. */
const unknown = (): ItemOption => o(UNKNOWN_ANSWER, 'Không rõ', 'Don’t know')

export const DOSSIER_RATING: QuestionnaireDefinition = {
  ...DOSSIER_RATING_V1,
  elements: [
    {
      ...DOSSIER_RATING_V1.elements[0]!,
      items: [
        indicator('D5', 'Tiếp nhận và trả kết quả tại bộ phận một cửa', 'Received and returned at the one-stop shop', [
          o('2', 'Cả tiếp nhận và trả kết quả', 'Both'),
          o('1', 'Một trong hai', 'One of the two'),
          o('0', 'Không', 'Neither'),
        ]),
        indicator('D6', 'Thủ tục được công khai', 'The procedure was published', [
          o('2', 'Niêm yết và trực tuyến', 'Posted and online'),
          o('1', 'Một trong hai', 'One of the two'),
          o('0', 'Không', 'Neither'),
          unknown(),
        ]),
        indicator('D7', 'Thái độ của công chức', 'Officials’ attitude', [
          o('2', 'Lịch sự, tận tình', 'Polite and helpful'),
          o('1', 'Bình thường', 'Ordinary'),
          o('0', 'Không lịch sự', 'Impolite'),
        ]),
        indicator('D8', 'Giải quyết phản ánh, kiến nghị', 'Handling of complaints', [
          o('2', 'Không có phản ánh hoặc đã được giải quyết thỏa đáng', 'No complaint, or resolved satisfactorily'),
          o('1', 'Giải quyết chậm', 'Resolved late'),
          o('0', 'Không được giải quyết', 'Not resolved'),
        ]),
        indicator('D9', 'Cung cấp dịch vụ công trực tuyến', 'Online public services', [
          o('2', 'Toàn trình', 'Fully online'),
          o('1', 'Một phần', 'Partly online'),
          o('0', 'Không có', 'Not available'),
          unknown(),
        ]),
      ],
    },
  ],
}
