/** The OpenAPI 3.1 description of /api/v1, served at /api/v1/openapi.json. */
const error = {
  type: 'object',
  properties: { error: { type: 'string' }, message: { type: 'string' } },
  required: ['error', 'message'],
}
const cell = {
  type: 'object',
  properties: {
    estimate: { type: ['number', 'null'], description: 'Share in [0, 1]' },
    se: { type: ['number', 'null'] },
    ci: { type: ['object', 'null'], properties: { lower: { type: 'number' }, upper: { type: 'number' } } },
    intervalMethod: {
      enum: ['beta', 'logit', 'wilson', 'mean', null],
      description:
        'The interval method actually used: beta is Korn–Graubard (also what logit falls back to at 0 or 1); null without an interval',
    },
    n: { type: 'integer' },
    nEff: { type: 'number', description: 'Kish effective sample size' },
    status: {
      enum: ['published', 'insufficient', 'suppressed-complement'],
      description:
        'insufficient: under the publication thresholds; suppressed-complement: withheld so that another value cannot be derived by subtraction. Only published cells carry estimate, se, ci and intervalMethod (null otherwise)',
    },
  },
}

/** The QĐ 766/QĐ-TTg rate of a score row (docs/dossiers.md). */
const rate766 = {
  type: ['object', 'null'],
  description:
    "(dossiers settled − those late, complained about or rated dissatisfied) ÷ dossiers settled × 100, over the row's subtree and the period's months; deductions are added and capped at the dossiers settled (a lower bound when a dossier carries two marks). Null when no dossier count covers the row",
  properties: {
    rate: { type: ['number', 'null'], description: 'Percent, two decimals; null when no dossier was settled' },
    settled: { type: 'integer' },
    deducted: { type: 'integer' },
    late: { type: 'integer' },
    complained: { type: 'integer' },
    dissatisfied: { type: 'integer' },
    dissatisfiedSource: {
      enum: ['one-stop-shop', 'survey', 'none'],
      description:
        "one-stop-shop: the one-stop shop's own count, reported for every month row of the subtree; survey: invitation responses whose overall rating is below the satisfaction threshold",
    },
  },
}
const responseRate = {
  type: 'object',
  description: 'Percent, two decimals; null when there is no denominator',
  properties: {
    perInvitation: {
      type: ['number', 'null'],
      description: 'Counted invitation responses ÷ invitations issued in the period (Vietnam time)',
    },
    perDossier: { type: ['number', 'null'], description: 'Responses (overall n) ÷ dossiers settled' },
  },
}
const dossierCount = {
  type: 'object',
  required: ['agencyCode', 'month', 'received', 'settled', 'settledLate', 'complained'],
  properties: {
    agencyCode: { type: 'string' },
    month: { type: 'string', description: '"2026-09" (also "09/2026", "T9/2026")' },
    received: { type: 'integer', minimum: 0 },
    settled: { type: 'integer', minimum: 0 },
    settledLate: { type: 'integer', minimum: 0, description: 'At most settled' },
    complained: { type: 'integer', minimum: 0 },
    ratedDissatisfied: {
      type: ['integer', 'null'],
      minimum: 0,
      description: "The one-stop-shop system's own count of dossiers rated dissatisfied; omit or null when unknown",
    },
  },
}

/** One driver analysis of /drivers (docs/insight.md). */
const driverAnalysis = {
  type: 'object',
  properties: {
    status: { enum: ['ok', 'insufficient', 'noVariation'] },
    method: { enum: ['lmg', 'relative-weights'], description: 'ok only' },
    n: { type: 'integer', description: 'Respondents who answered the outcome and every predictor' },
    nEff: { type: 'number' },
    needed: { type: 'integer', description: 'insufficient only: the respondents needed, max(30, 5 per predictor)' },
    rSquared: { type: 'number' },
    rSquaredCi: { type: ['object', 'null'], properties: { lower: { type: 'number' }, upper: { type: 'number' } } },
    replicates: { type: 'integer', description: 'Bootstrap replicates used' },
    seed: { type: 'integer' },
    level: { type: 'number' },
    items: {
      type: 'array',
      description: 'Empty unless status is ok',
      items: {
        type: 'object',
        properties: {
          code: { type: 'string' },
          importance: { type: 'number', description: 'Share of R² in [0, 1]; the shares add up to 1' },
          importanceCi: {
            type: ['object', 'null'],
            properties: { lower: { type: 'number' }, upper: { type: 'number' } },
          },
          score: {
            type: ['number', 'null'],
            description: 'The published score (share in [0, 1]); null when not published',
          },
        },
        required: ['code', 'importance', 'importanceCi', 'score'],
      },
    },
  },
  required: ['status', 'n', 'items'],
}

/** The themes of what citizens write, /themes (docs/insight.md, "Themes of suggestions"). */
const interval = { type: 'object', properties: { lower: { type: 'number' }, upper: { type: 'number' } } }
const themes = {
  type: 'object',
  properties: {
    agency: { type: ['object', 'null'], properties: { code: { type: 'string' } } },
    period: { type: 'string' },
    months: {
      type: 'array',
      items: { type: 'string' },
      description: 'The months of the series: at least six, ending with the period’s last month',
    },
    minCount: { type: 'integer', description: 'Counts from 1 to minCount − 1 are null ("< 5")' },
    total: { type: 'integer', description: 'Suggestions of the period read' },
    truncated: { type: 'boolean', description: 'More suggestions than the read limit (20 000): the newest were read' },
    unthemed: { type: ['integer', 'null'], description: 'Suggestions of the period in no theme' },
    themes: {
      type: 'array',
      description: 'Every theme of the fixed lexicon, in its order',
      items: {
        type: 'object',
        properties: {
          code: {
            enum: ['waiting', 'attitude', 'procedures', 'fees', 'online', 'facilities', 'information', 'processing'],
          },
          count: {
            type: ['integer', 'null'],
            description: 'Suggestions of the period in the theme; null under minCount',
          },
          suppressed: { type: 'boolean', description: 'Fewer than minCount: no count, no month and no example' },
          byMonth: {
            type: 'array',
            items: {
              type: 'object',
              properties: { month: { type: 'string' }, count: { type: ['integer', 'null'] } },
            },
          },
          examples: {
            type: 'array',
            description:
              'Up to three, newest first; phone, e-mail and ID numbers masked on storing, names after a title masked ([tên])',
            items: { type: 'object', properties: { text: { type: 'string' }, month: { type: 'string' } } },
          },
        },
        required: ['code', 'count', 'suppressed', 'byMonth', 'examples'],
      },
    },
    phrases: {
      type: 'array',
      description: 'Frequent two- and three-syllable phrases in no theme, in at least minCount suggestions',
      items: { type: 'object', properties: { text: { type: 'string' }, count: { type: 'integer' } } },
    },
    expectations: {
      type: 'object',
      properties: {
        denominator: { type: 'integer', description: 'Respondents who answered the expectation question' },
        level: { type: 'number' },
        method: { const: 'wilson' },
        items: {
          type: 'array',
          description: 'Empty when the denominator is under minCount',
          items: {
            type: 'object',
            properties: {
              value: { type: 'string' },
              labelVi: { type: 'string' },
              labelEn: { type: 'string' },
              share: { type: 'number', description: 'Weighted share of the denominator that chose it' },
              n: { type: 'integer', description: 'Respondents who chose it' },
              ci: interval,
            },
          },
        },
      },
    },
  },
  required: ['period', 'months', 'minCount', 'total', 'themes', 'phrases', 'expectations'],
}

export function openApiDocument(publicUrl: string) {
  const responses = (extra: Record<string, unknown>) => ({
    ...extra,
    '401': { description: 'Missing or bad API token', content: { 'application/json': { schema: error } } },
  })
  return {
    openapi: '3.1.0',
    info: {
      title: 'Hài Lòng API',
      version: '1.0.0',
      description:
        'Satisfaction scores and survey invitations. Authenticate with "Authorization: Bearer <token>" (create one with `hailong token create --agency CODE`). A token sees its agency and the units under it.',
    },
    servers: [{ url: `${publicUrl}/api/v1` }],
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: {
        Error: error,
        ScoreCell: cell,
        DriverAnalysis: driverAnalysis,
        Themes: themes,
        Rate766: rate766,
        ResponseRate: responseRate,
        DossierCount: dossierCount,
      },
    },
    security: [{ bearer: [] }],
    paths: {
      '/scores': {
        get: {
          summary: 'Scores per agency for a questionnaire and period (the numbers of the scores page)',
          parameters: [
            { name: 'questionnaire', in: 'query', schema: { type: 'string', default: 'SIPAS-2017' } },
            {
              name: 'agency',
              in: 'query',
              schema: { type: 'string' },
              description: "Root agency code; default: the token's agency",
            },
            {
              name: 'period',
              in: 'query',
              schema: { type: 'string', examples: ['2026', '2026-Q3', '2026-09'] },
              description: 'Default: the current year',
            },
            { name: 'from', in: 'query', schema: { type: 'string', format: 'YYYY-MM' } },
            { name: 'to', in: 'query', schema: { type: 'string', format: 'YYYY-MM' } },
            {
              name: 'weighting',
              in: 'query',
              schema: { enum: ['design', 'unweighted', 'poststratified'], default: 'design' },
            },
            { name: 'boundaries', in: 'query', schema: { enum: ['current', 'historical'], default: 'current' } },
            {
              name: 'compare',
              in: 'query',
              schema: { enum: ['previous', 'year'], default: 'previous' },
              description:
                'What the change compares with: the period just before, or the same period a year earlier (previousPeriod and comparedWith say which)',
            },
            {
              name: 'collapse',
              in: 'query',
              schema: { enum: ['0', '1'], default: '0' },
              description:
                "weighting=poststratified on current boundaries: 1 pools a merged-away unit (its count and responses) into its successor's post-stratum; by default each unit as it was is its own post-stratum (docs/method.md)",
            },
            {
              name: 'method',
              in: 'query',
              schema: {
                enum: ['respondent-composite', 'mean-of-item-indices', 'pooled-criteria', 'element-weighted'],
              },
              description: "Index method; default: the questionnaire's own",
            },
            { name: 'ci', in: 'query', schema: { enum: ['beta', 'wilson', 'logit'], default: 'beta' } },
            {
              name: 'rank',
              in: 'query',
              schema: { enum: ['direct', 'shrunk'], default: 'direct' },
              description:
                'shrunk: rank siblings by the shrunk overall index (published units only; rankRange is then null, and the body says rankedBy: shrunk)',
            },
            {
              name: 'channel',
              in: 'query',
              schema: { type: 'array', items: { enum: ['invitation', 'open_link', 'kiosk', 'import'] } },
              style: 'form',
              explode: true,
              description:
                'Entry channels counted, repeated (channel=invitation&channel=kiosk) or comma-separated; default: every channel. channel=invitation publishes invitation responses (one per dossier) alone. The change column uses the same channels.',
            },
          ],
          responses: responses({
            '200': {
              description: 'Scores, with the method, weighting and interval used',
              content: {
                'application/json': {
                  schema: {
                    type: 'object',
                    properties: {
                      ok: { const: true },
                      period: { type: 'string' },
                      previousPeriod: { type: 'string' },
                      channels: {
                        type: ['array', 'null'],
                        items: { enum: ['invitation', 'open_link', 'kiosk', 'import'] },
                        description: 'The entry channels counted; null: every channel',
                      },
                      options: { type: 'object' },
                      changeUnavailable: {
                        enum: ['previousPopulationIncomplete', null],
                        description:
                          'Why every change is null: the previous period could not be post-stratified (its counts are incomplete); null when changes were computed',
                      },
                      rows: {
                        type: 'array',
                        items: {
                          type: 'object',
                          properties: {
                            agency: {
                              type: 'object',
                              properties: {
                                code: { type: 'string' },
                                nameVi: { type: 'string' },
                                nameEn: { type: 'string' },
                              },
                            },
                            overall: { $ref: '#/components/schemas/ScoreCell' },
                            elements: {
                              type: 'object',
                              additionalProperties: { $ref: '#/components/schemas/ScoreCell' },
                            },
                            criteria: {
                              type: 'object',
                              additionalProperties: { $ref: '#/components/schemas/ScoreCell' },
                            },
                            rank: { type: ['integer', 'null'] },
                            rankOf: { type: 'integer' },
                            change: {
                              type: ['number', 'null'],
                              description: 'Points versus the compared period (previousPeriod)',
                            },
                            changeCi: {
                              type: ['object', 'null'],
                              properties: { lower: { type: 'number' }, upper: { type: 'number' } },
                              description:
                                'Interval of the change in points: the two periods are independent samples, so their variances add; normal quantile',
                            },
                            changeSignificant: {
                              type: ['boolean', 'null'],
                              description: 'The change interval leaves out zero',
                            },
                            rate766: { $ref: '#/components/schemas/Rate766' },
                            responseRate: { $ref: '#/components/schemas/ResponseRate' },
                            shrunk: {
                              type: ['object', 'null'],
                              properties: {
                                estimate: { type: 'number' },
                                lower: { type: 'number' },
                                upper: { type: 'number' },
                              },
                              description:
                                "The overall index shrunk toward its published siblings' mean (Fay–Herriot empirical Bayes, docs/method.md §13), with its 95 % interval; null wherever the direct overall value is withheld (overall.status insufficient or suppressed-complement: the same reason; ADR 0053), and with fewer than 3 published siblings in the table",
                            },
                            rankRange: {
                              type: ['object', 'null'],
                              properties: { best: { type: 'integer' }, worst: { type: 'integer' } },
                              description:
                                "The ranks consistent with the siblings' intervals: a unit is surely behind another only when the other's interval lies wholly above its own",
                            },
                          },
                        },
                      },
                    },
                  },
                },
              },
            },
            '400': { description: 'Bad query', content: { 'application/json': { schema: error } } },
            '403': {
              description: 'Agency outside the token scope',
              content: { 'application/json': { schema: error } },
            },
            '404': {
              description: 'Unknown agency or questionnaire',
              content: { 'application/json': { schema: error } },
            },
          }),
        },
      },
      '/drivers': {
        get: {
          summary: 'What drives overall satisfaction: each element and criterion as a share of R² (docs/insight.md)',
          description:
            "Design-weighted regression of the overall question's answer (or, without one, the respondent's composite) on the element scores (exact LMG / Shapley) and on the criteria (exact LMG up to 12 predictors, Johnson's relative weights beyond), over respondents who answered all of them. Intervals: percentile, 200 bootstrap replicates over respondents within strata, seeded (the same request gives the same numbers). Above 5,000 counted respondents a systematic subsample of about 5,000 is analysed (see `sample`). Same parameters, token scope and errors as /scores.",
          parameters: [
            { name: 'questionnaire', in: 'query', schema: { type: 'string', default: 'SIPAS-2017' } },
            {
              name: 'agency',
              in: 'query',
              schema: { type: 'string' },
              description: "The agency whose subtree is analysed; default: the token's agency",
            },
            { name: 'period', in: 'query', schema: { type: 'string', examples: ['2026', '2026-Q3', '2026-09'] } },
            { name: 'from', in: 'query', schema: { type: 'string', format: 'YYYY-MM' } },
            { name: 'to', in: 'query', schema: { type: 'string', format: 'YYYY-MM' } },
            { name: 'boundaries', in: 'query', schema: { enum: ['current', 'historical'], default: 'current' } },
            {
              name: 'weighting',
              in: 'query',
              schema: { enum: ['design', 'unweighted', 'poststratified'], default: 'design' },
              description:
                'Weighting of the scores shown beside the importances; the regression always uses the design weights',
            },
          ],
          responses: responses({
            '200': {
              description:
                'Drivers of the elements and of the criteria; each analysis is either ok or says why not (insufficient: fewer complete respondents than needed; noVariation: everyone gave the same overall answer)',
              content: {
                'application/json': {
                  schema: {
                    type: 'object',
                    properties: {
                      ok: { const: true },
                      period: { type: 'string' },
                      outcome: {
                        type: 'object',
                        properties: {
                          kind: { enum: ['overall-question', 'composite'] },
                          code: { type: ['string', 'null'] },
                        },
                      },
                      weighting: { const: 'design' },
                      sample: {
                        description:
                          'null when every respondent was analysed; above 5,000 counted respondents, every `every`-th response by id (an equal-probability systematic subsample of `counted`), so intervals are those of the subsample',
                        oneOf: [
                          { type: 'null' },
                          {
                            type: 'object',
                            properties: { counted: { type: 'integer' }, every: { type: 'integer', minimum: 2 } },
                          },
                        ],
                      },
                      elements: { $ref: '#/components/schemas/DriverAnalysis' },
                      criteria: { $ref: '#/components/schemas/DriverAnalysis' },
                    },
                  },
                },
              },
            },
            '400': {
              description: 'Bad query (translated message)',
              content: { 'application/json': { schema: error } },
            },
            '403': {
              description: "Agency outside the token's subtree",
              content: { 'application/json': { schema: error } },
            },
            '404': {
              description: 'Unknown agency or questionnaire',
              content: { 'application/json': { schema: error } },
            },
          }),
        },
      },
      '/themes': {
        get: {
          summary: 'What citizens write: themes of the suggestions, masked examples, expectations (docs/insight.md)',
          description:
            'Suggestions of the period grouped into a fixed lexicon of public-service themes (matched on Vietnamese text with or without diacritics), counted per month over the last six months; themes with fewer than five suggestions are hidden. Shares of the expectation question with their denominator and Wilson interval. Same parameters, token scope and errors as /scores.',
          parameters: [
            { name: 'questionnaire', in: 'query', schema: { type: 'string', default: 'SIPAS-2017' } },
            {
              name: 'agency',
              in: 'query',
              schema: { type: 'string' },
              description: "The agency whose subtree is read; default: the token's agency",
            },
            { name: 'period', in: 'query', schema: { type: 'string', examples: ['2026', '2026-Q3', '2026-09'] } },
            { name: 'from', in: 'query', schema: { type: 'string', format: 'YYYY-MM' } },
            { name: 'to', in: 'query', schema: { type: 'string', format: 'YYYY-MM' } },
            { name: 'boundaries', in: 'query', schema: { enum: ['current', 'historical'], default: 'current' } },
          ],
          responses: responses({
            '200': {
              description: 'Themes, phrases and expectations',
              content: { 'application/json': { schema: { $ref: '#/components/schemas/Themes' } } },
            },
            '400': {
              description: 'Bad query (translated message)',
              content: { 'application/json': { schema: error } },
            },
            '403': {
              description: "Agency outside the token's subtree",
              content: { 'application/json': { schema: error } },
            },
            '404': {
              description: 'Unknown agency or questionnaire',
              content: { 'application/json': { schema: error } },
            },
          }),
        },
      },
      '/invitations': {
        post: {
          summary:
            'Create (or get again, for the same dossier) a single-use survey invitation; or many from a CSV file (docs/invitations.md)',
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['agencyCode'],
                  properties: {
                    agencyCode: { type: 'string' },
                    procedureCode: { type: 'string' },
                    dossierCode: {
                      type: 'string',
                      description:
                        'The same code returns the same invitation (found by its keyed hash). Kept in clear only with dossier data, to show on the form, until the invitation is used',
                    },
                    channel: { enum: ['counter', 'online', 'post', 'phone', 'kiosk', 'paper'], default: 'counter' },
                    expiresInDays: { type: 'integer', minimum: 1, maximum: 90, default: 14 },
                    questionnaireCode: {
                      type: 'string',
                      description: 'Default: ND61-DOSSIER when dossier data is sent, else SIPAS-2017',
                    },
                    dossier: {
                      type: 'object',
                      description:
                        "The one-stop shop's facts of the dossier (requires dossierCode), shown read-only on the form; the processing time against the legal limit is computed from them (Decree 61)",
                      required: ['receivedAt', 'dueAt'],
                      properties: {
                        receivedAt: { type: 'string', format: 'date' },
                        dueAt: {
                          type: 'string',
                          format: 'date',
                          description: 'The due date on the receipt; not before receivedAt',
                        },
                        returnedAt: { type: 'string', format: 'date', description: 'Absent while not returned' },
                        contacts: {
                          type: 'integer',
                          minimum: 0,
                          maximum: 99,
                          description: 'Times the citizen had to come back or be contacted to complete the dossier',
                        },
                        agencies: {
                          type: 'array',
                          maxItems: 20,
                          items: { type: 'string', maxLength: 200 },
                          description: 'Names of the agencies that handled the dossier',
                        },
                      },
                    },
                  },
                },
              },
              'text/csv': {
                schema: {
                  type: 'string',
                  description:
                    'UTF-8 CSV with a header row of the JSON field names (agencyCode, procedureCode, dossierCode, channel, expiresInDays, questionnaireCode, receivedAt, dueAt, returnedAt, contacts, agencies separated by ";"); at most 1,000 rows. All rows or none: any bad row refuses the file with rowErrors [{ row, field, message }]. Answers 200 { invitations: [{ row, dossierCode, created, code, url, qrSvgUrl, expiresAt }] }',
                },
              },
            },
          },
          responses: responses({
            '201': {
              description: 'Created',
              content: {
                'application/json': {
                  schema: {
                    type: 'object',
                    properties: {
                      code: { type: 'string' },
                      url: { type: 'string' },
                      qrSvgUrl: { type: 'string' },
                      expiresAt: { type: 'string', format: 'date-time' },
                    },
                  },
                },
              },
            },
            '200': {
              description:
                'The existing invitation for this dossier (dossier data sent again replaces the stored data while unused); for a CSV file, the invitations per row',
            },
            '400': {
              description: 'Invalid body, with fieldErrors; or an invalid CSV file, with rowErrors (nothing created)',
              content: { 'application/json': { schema: error } },
            },
            '403': { description: "Another agency's token", content: { 'application/json': { schema: error } } },
            '404': {
              description: 'Unknown agency, procedure or questionnaire',
              content: { 'application/json': { schema: error } },
            },
          }),
        },
      },
      '/dossier-counts': {
        put: {
          summary:
            "Set the one-stop shop's dossier counts per agency and month (docs/dossiers.md): an idempotent upsert, all entries or none, agencies in the token's subtree",
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['counts'],
                  properties: {
                    counts: {
                      type: 'array',
                      minItems: 1,
                      maxItems: 50000,
                      items: { $ref: '#/components/schemas/DossierCount' },
                    },
                  },
                },
              },
            },
          },
          responses: responses({
            '200': {
              description: 'Stored: how many months were new and how many replaced',
              content: {
                'application/json': {
                  schema: {
                    type: 'object',
                    properties: { created: { type: 'integer' }, updated: { type: 'integer' } },
                  },
                },
              },
            },
            '400': {
              description:
                'Nothing stored: invalid JSON or body, or `errors: [{ index, field, code, message }]` naming each bad entry by its position in counts (code outOfScope: an agency outside the token subtree)',
              content: { 'application/json': { schema: error } },
            },
            '403': {
              description: 'Nothing stored: every refused entry names an agency outside the token subtree',
              content: { 'application/json': { schema: error } },
            },
          }),
        },
      },
      // Official releases (docs/publication.md): public, no token, cacheable; the ETag is a SHA-256.
      '/releases': {
        get: {
          summary: 'Published releases, newest first: id, period, scope, publishedAt, sha256, supersedes',
          security: [],
          responses: { '200': { description: '`{ releases: [...] }`' }, '304': { description: 'Not modified' } },
        },
      },
      '/releases/{id}': {
        get: {
          summary: 'The frozen document of a published (or superseded) release: its bytes hash to its sha256',
          security: [],
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }],
          responses: {
            '200': { description: 'The document, exactly as stored; ETag is its SHA-256' },
            '304': { description: 'Not modified' },
            '404': { description: 'Unknown, draft or approved', content: { 'application/json': { schema: error } } },
          },
        },
      },
    },
  }
}
