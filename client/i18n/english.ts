// The English catalogs, bundled with the app: the reference every other
// language is checked against, and the type message keys are checked with.
import commonMessages from './catalogs/en/common.json' with { type: 'json' }
import errorsMessages from './catalogs/en/errors.json' with { type: 'json' }
import appMessages from './catalogs/en/app.json' with { type: 'json' }
import loginMessages from './catalogs/en/login.json' with { type: 'json' }
import shellMessages from './catalogs/en/shell.json' with { type: 'json' }
import outlineMessages from './catalogs/en/outline.json' with { type: 'json' }
import sectionMessages from './catalogs/en/section.json' with { type: 'json' }
import editorMessages from './catalogs/en/editor.json' with { type: 'json' }
import commentsMessages from './catalogs/en/comments.json' with { type: 'json' }
import historyMessages from './catalogs/en/history.json' with { type: 'json' }
import documentMessages from './catalogs/en/document.json' with { type: 'json' }
import exportMessages from './catalogs/en/export.json' with { type: 'json' }
import importMessages from './catalogs/en/import.json' with { type: 'json' }
import inputsMessages from './catalogs/en/inputs.json' with { type: 'json' }
import reportsMessages from './catalogs/en/reports.json' with { type: 'json' }
import adminMessages from './catalogs/en/admin.json' with { type: 'json' }
import inviteMessages from './catalogs/en/invite.json' with { type: 'json' }
import overviewMessages from './catalogs/en/overview.json' with { type: 'json' }
import offlineMessages from './catalogs/en/offline.json' with { type: 'json' }

export const english = {
  common: commonMessages,
  errors: errorsMessages,
  app: appMessages,
  login: loginMessages,
  shell: shellMessages,
  outline: outlineMessages,
  section: sectionMessages,
  editor: editorMessages,
  comments: commentsMessages,
  history: historyMessages,
  document: documentMessages,
  export: exportMessages,
  import: importMessages,
  inputs: inputsMessages,
  reports: reportsMessages,
  admin: adminMessages,
  invite: inviteMessages,
  overview: overviewMessages,
  offline: offlineMessages,
}

export type Area = keyof typeof english
/** A message's key: its area and its name in that area, e.g. `login.signIn`. */
export type MessageKey = { [A in Area]: `${A}.${keyof (typeof english)[A] & string}` }[Area]
