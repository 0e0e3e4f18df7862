/**
 * The SIPAS questionnaire of the 2017–2020 scheme (Quyết định 2640/QĐ-BNV): five elements, 22 criteria on
 * the five-level scale, a satisfaction question per element, an overall question, expectations, an optional
 * respondent profile and a suggestion box. Structure as in docs/domain.md; it is a template, so a
 * province edits its own copy rather than this file.
 */
import type { ElementDefinition, ItemDefinition, ItemOption, QuestionnaireDefinition } from '../definition.ts'
import { FIVE_LEVEL_SATISFIED, FIVE_LEVEL_SCALE } from './scales.ts'

type Criterion = [code: string, vi: string, en: string]

function criterion([code, labelVi, labelEn]: Criterion): ItemDefinition {
  return {
    code,
    labelVi,
    labelEn,
    type: 'scale5',
    role: 'criterion',
    required: true,
    countsInIndex: true,
    satisfiedThreshold: FIVE_LEVEL_SATISFIED,
    options: FIVE_LEVEL_SCALE,
    maxLength: null,
  }
}

function elementQuestion(code: string, topicVi: string, topicEn: string): ItemDefinition {
  return {
    code: `${code}.overall`,
    labelVi: `Mức độ hài lòng chung của Ông/Bà về ${topicVi}`,
    labelEn: `Your overall satisfaction with ${topicEn}`,
    type: 'scale5',
    role: 'element_overall',
    required: false,
    countsInIndex: false,
    satisfiedThreshold: FIVE_LEVEL_SATISFIED,
    options: FIVE_LEVEL_SCALE,
    maxLength: null,
  }
}

function element(
  code: string,
  titleVi: string,
  titleEn: string,
  topicVi: string,
  topicEn: string,
  criteria: Criterion[],
): ElementDefinition {
  return {
    code,
    weight: 1,
    titleVi,
    titleEn,
    items: [...criteria.map(criterion), elementQuestion(code, topicVi, topicEn)],
  }
}

function choice(
  code: string,
  role: ItemDefinition['role'],
  labelVi: string,
  labelEn: string,
  multiple: boolean,
  options: ItemOption[],
): ItemDefinition {
  return {
    code,
    role,
    labelVi,
    labelEn,
    type: multiple ? 'multiple' : 'single',
    required: false,
    countsInIndex: false,
    satisfiedThreshold: null,
    options,
    maxLength: null,
  }
}

const opt = (value: string, labelVi: string, labelEn: string): ItemOption => ({ value, labelVi, labelEn })

export const SIPAS_2017_ELEMENTS: ElementDefinition[] = [
  element('E1', 'Tiếp cận dịch vụ', 'Access to the service', 'việc tiếp cận dịch vụ', 'access to the service', [
    ['E1.1', 'Nơi ngồi chờ có đủ chỗ ngồi', 'There were enough seats while waiting'],
    [
      'E1.2',
      'Trang thiết bị phục vụ người dân, tổ chức đầy đủ',
      'The equipment for citizens and organisations was adequate',
    ],
    [
      'E1.3',
      'Trang thiết bị phục vụ người dân, tổ chức hiện đại',
      'The equipment for citizens and organisations was modern',
    ],
    [
      'E1.4',
      'Trang thiết bị phục vụ người dân, tổ chức dễ sử dụng',
      'The equipment for citizens and organisations was easy to use',
    ],
  ]),
  element(
    'E2',
    'Thủ tục hành chính',
    'The administrative procedure',
    'thủ tục hành chính',
    'the administrative procedure',
    [
      ['E2.1', 'Thủ tục hành chính được niêm yết công khai đầy đủ', 'The procedure was posted publicly and completely'],
      ['E2.2', 'Thủ tục hành chính được niêm yết công khai chính xác', 'The procedure was posted accurately'],
      [
        'E2.3',
        'Thành phần hồ sơ mà Ông/Bà phải nộp là đúng quy định',
        'The documents you had to submit were as regulated',
      ],
      ['E2.4', 'Phí/lệ phí mà Ông/Bà phải nộp là đúng quy định', 'The fees you paid were as regulated'],
      [
        'E2.5',
        'Thời hạn giải quyết (tính từ ngày hồ sơ được tiếp nhận đến ngày nhận kết quả) là đúng quy định',
        'The processing time (from the day your dossier was received to the day of the result) was as regulated',
      ],
    ],
  ),
  element(
    'E3',
    'Công chức trực tiếp giải quyết công việc',
    'The civil servant who handled your case',
    'công chức trực tiếp giải quyết công việc',
    'the civil servant who handled your case',
    [
      ['E3.1', 'Công chức có thái độ giao tiếp lịch sự', 'The civil servant was polite'],
      ['E3.2', 'Công chức chú ý lắng nghe ý kiến của Ông/Bà', 'The civil servant listened to you attentively'],
      [
        'E3.3',
        'Công chức trả lời, giải thích đầy đủ các ý kiến của Ông/Bà',
        'The civil servant answered and explained fully',
      ],
      [
        'E3.4',
        'Công chức hướng dẫn kê khai hồ sơ tận tình, chu đáo',
        'The civil servant guided you through the forms attentively',
      ],
      ['E3.5', 'Công chức hướng dẫn kê khai hồ sơ dễ hiểu', 'The guidance was easy to understand'],
      [
        'E3.6',
        'Công chức tuân thủ đúng quy định trong giải quyết công việc',
        'The civil servant followed the rules in handling your case',
      ],
    ],
  ),
  element(
    'E4',
    'Kết quả cung ứng dịch vụ',
    'The result of the service',
    'kết quả cung ứng dịch vụ',
    'the result of the service',
    [
      ['E4.1', 'Kết quả mà Ông/Bà nhận được đúng quy định', 'The result you received was as regulated'],
      ['E4.2', 'Kết quả mà Ông/Bà nhận được có thông tin đầy đủ', 'The result contained complete information'],
      ['E4.3', 'Kết quả mà Ông/Bà nhận được có thông tin chính xác', 'The result contained accurate information'],
    ],
  ),
  element(
    'E5',
    'Tiếp nhận, xử lý góp ý, phản ánh, kiến nghị',
    'Handling of feedback and complaints',
    'việc tiếp nhận, xử lý góp ý, phản ánh, kiến nghị',
    'how feedback and complaints are handled',
    [
      [
        'E5.1',
        'Cơ quan có bố trí hình thức tiếp nhận góp ý, phản ánh, kiến nghị',
        'The agency offers a way to give feedback',
      ],
      ['E5.2', 'Ông/Bà dễ dàng thực hiện góp ý, phản ánh, kiến nghị', 'Giving feedback was easy'],
      [
        'E5.3',
        'Cơ quan tiếp nhận, xử lý tích cực các góp ý, phản ánh, kiến nghị',
        'The agency handled feedback actively',
      ],
      [
        'E5.4',
        'Cơ quan thông báo kết quả xử lý góp ý, phản ánh, kiến nghị kịp thời',
        'The agency reported the outcome promptly',
      ],
    ],
  ),
]

export const SIPAS_EXPECTATION_OPTIONS: ItemOption[] = [
  opt('seating', 'Cải thiện nơi ngồi chờ, trang thiết bị', 'Better waiting area and equipment'),
  opt('simplify', 'Đơn giản hóa thủ tục hành chính', 'Simpler procedures'),
  opt('publicity', 'Công khai, minh bạch thủ tục hành chính', 'Clearer, more transparent procedures'),
  opt('attitude', 'Cải thiện thái độ giao tiếp của công chức', 'Better attitude from officials'),
  opt('competence', 'Nâng cao năng lực giải quyết công việc của công chức', 'More competent officials'),
  opt('time', 'Rút ngắn thời gian giải quyết', 'Shorter processing time'),
  opt('online', 'Mở rộng dịch vụ công trực tuyến', 'More online public services'),
  opt('feedback', 'Tiếp nhận, xử lý góp ý tốt hơn', 'Better handling of feedback'),
]

export const PROFILE_ITEMS: ItemDefinition[] = [
  choice('P.respondent', 'profile', 'Ông/Bà đánh giá với tư cách', 'You are answering as', false, [
    opt('citizen', 'Người dân', 'A citizen'),
    opt('organisation', 'Người đại diện cho tổ chức, doanh nghiệp', 'The representative of an organisation'),
  ]),
  choice('P.gender', 'profile', 'Giới tính', 'Gender', false, [
    opt('female', 'Nữ', 'Female'),
    opt('male', 'Nam', 'Male'),
    opt('other', 'Khác', 'Other'),
  ]),
  choice('P.age', 'profile', 'Độ tuổi', 'Age', false, [
    opt('18-25', '18–25', '18–25'),
    opt('26-40', '26–40', '26–40'),
    opt('41-60', '41–60', '41–60'),
    opt('60+', 'Trên 60', 'Over 60'),
  ]),
  choice('P.education', 'profile', 'Trình độ học vấn', 'Education', false, [
    opt('primary', 'Tiểu học trở xuống', 'Primary or less'),
    opt('lower-secondary', 'Trung học cơ sở (THCS)', 'Lower secondary'),
    opt('upper-secondary', 'Trung học phổ thông (THPT)', 'Upper secondary'),
    opt('college', 'Cao đẳng, đại học', 'College or university'),
    opt('postgraduate', 'Sau đại học', 'Postgraduate'),
  ]),
  choice('P.ethnicity', 'profile', 'Dân tộc', 'Ethnicity', false, [
    opt('kinh', 'Kinh', 'Kinh'),
    opt('other', 'Dân tộc khác', 'Another ethnic group'),
  ]),
  choice('P.occupation', 'profile', 'Nghề nghiệp', 'Occupation', false, [
    opt('civil-servant', 'Cán bộ, công chức, viên chức', 'Civil or public servant'),
    opt('business', 'Doanh nhân, người làm kinh doanh', 'Business owner or trader'),
    opt('employee', 'Người làm công, công nhân', 'Employee or worker'),
    opt('farmer', 'Nông dân', 'Farmer'),
    opt('student', 'Học sinh, sinh viên', 'Student'),
    opt('retired', 'Nghỉ hưu, nội trợ', 'Retired or homemaker'),
    opt('other', 'Khác', 'Other'),
  ]),
  choice('P.area', 'profile', 'Nơi sinh sống', 'Where you live', false, [
    opt('urban', 'Thành thị', 'Urban'),
    opt('rural', 'Nông thôn', 'Rural'),
    opt('mountain', 'Miền núi, hải đảo', 'Mountain or island'),
  ]),
]

export const SUGGESTION_ITEM: ItemDefinition = {
  code: 'S.suggestion',
  role: 'suggestion',
  type: 'text',
  required: false,
  countsInIndex: false,
  labelVi: 'Ông/Bà có góp ý gì để cơ quan phục vụ tốt hơn?',
  labelEn: 'Any suggestion to help the agency serve you better?',
  satisfiedThreshold: null,
  options: null,
  maxLength: 1000,
}

export const SIPAS_2017: QuestionnaireDefinition = {
  code: 'SIPAS-2017',
  nameVi: 'Khảo sát sự hài lòng về sự phục vụ hành chính (SIPAS)',
  nameEn: 'Satisfaction with public administrative services (SIPAS)',
  indexMethod: 'respondent-composite',
  elements: SIPAS_2017_ELEMENTS,
  extraItems: [
    {
      code: 'O.overall',
      role: 'overall',
      type: 'scale5',
      required: false,
      countsInIndex: false,
      labelVi: 'Mức độ hài lòng chung của Ông/Bà về sự phục vụ của cơ quan',
      labelEn: 'Your overall satisfaction with the service of this agency',
      satisfiedThreshold: FIVE_LEVEL_SATISFIED,
      options: FIVE_LEVEL_SCALE,
      maxLength: null,
    },
    choice(
      'X.expectations',
      'expectation',
      'Ông/Bà mong muốn cơ quan cải thiện điều gì trước tiên? (có thể chọn nhiều phương án)',
      'What should the agency improve first? (you may choose several)',
      true,
      SIPAS_EXPECTATION_OPTIONS,
    ),
    SUGGESTION_ITEM,
    ...PROFILE_ITEMS,
  ],
}
