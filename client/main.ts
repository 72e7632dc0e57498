import '@fontsource/inter/400.css'
import '@fontsource/inter/500.css'
import '@fontsource/inter/600.css'
import '@fontsource/inter/700.css'
import '@fontsource/source-serif-4/400.css'
import '@fontsource/source-serif-4/400-italic.css'
import '@fontsource/source-serif-4/600.css'
import '@fontsource/source-serif-4/700.css'
import '@fontsource/source-serif-4/700-italic.css'
import 'prosemirror-view/style/prosemirror.css'
import './styles/tokens.css'
import './styles/base.css'
import './styles/login.css'
import './styles/shell.css'
import './styles/outline.css'
import './styles/section.css'
import './styles/toolbar.css'
import './styles/editor.css'
import { App } from './app.js'

// Boot: the page has a single #app element; everything else is built here.
const root = document.getElementById('app')
if (!root) throw new Error('Drafting Room cannot start: index.html has no element with id "app"')
void new App(root).start()
