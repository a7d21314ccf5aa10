import { mount } from 'svelte';
import './styles/app.css';
import App from './App.svelte';
import { turnOffAutocomplete } from './lib/autocomplete';

// Before anything is drawn: dialogs may live outside #app.
turnOffAutocomplete(document.body);
const app = mount(App, { target: document.getElementById('app')! });

export default app;
