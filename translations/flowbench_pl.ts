<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="pl_PL">
<context>
    <name>VerdictWording</name>
    <message>
        <source>latency</source>
        <translation>opóźnienie</translation>
    </message>
    <message>
        <source>cost</source>
        <translation>koszt</translation>
    </message>
    <message>
        <source>%1 pp</source>
        <extracomment>percentage points of pass rate</extracomment>
        <translation>%1 pp</translation>
    </message>
    <message>
        <source>%1 ms</source>
        <translation>%1 ms</translation>
    </message>
    <message>
        <source>%1 USD / 1k lines</source>
        <extracomment>a cost difference in US dollars per 1,000 dataset lines</extracomment>
        <translation>%1 USD / 1 tys. wierszy</translation>
    </message>
    <message>
        <source>p &lt; 0.001</source>
        <translation>p &lt; 0,001</translation>
    </message>
    <message>
        <source>p = %1</source>
        <translation>p = %1</translation>
    </message>
    <message>
        <source>better</source>
        <translation>lepiej</translation>
    </message>
    <message>
        <source>worse</source>
        <translation>gorzej</translation>
    </message>
    <message>
        <source>no significant difference</source>
        <translation>brak istotnej różnicy</translation>
    </message>
    <message>
        <source>not tested</source>
        <translation>nie testowano</translation>
    </message>
    <message>
        <source>%1 is better on %2, %3, %4</source>
        <extracomment>%1 run, %2 metric, %3 effect with its unit, %4 &quot;p = 0.003&quot;</extracomment>
        <translation>%1 jest lepszy w %2, %3, %4</translation>
    </message>
    <message>
        <source>%1 is worse on %2, %3, %4</source>
        <translation>%1 jest gorszy w %2, %3, %4</translation>
    </message>
    <message>
        <source>%1: no significant difference in %2</source>
        <translation>%1: brak istotnej różnicy w %2</translation>
    </message>
    <message>
        <source>%1: no significant difference in %2 (%3, %4)</source>
        <translation>%1: brak istotnej różnicy w %2 (%3, %4)</translation>
    </message>
    <message>
        <source>%1: %2 not tested (no paired lines)</source>
        <translation>%1: %2 nie testowano (brak sparowanych wierszy)</translation>
    </message>
    <message>
        <source>Not comparable: %1 used another dataset version than the baseline %2.</source>
        <translation>Nieporównywalne: %1 użył innej wersji zbioru danych niż punkt odniesienia %2.</translation>
    </message>
    <message>
        <source>Not comparable: %1 configured %2 differently from the baseline %3.</source>
        <translation>Nieporównywalne: %1 skonfigurował %2 inaczej niż punkt odniesienia %3.</translation>
    </message>
    <message>
        <source>Not comparable: %1 mapped its inputs from other columns than the baseline %2.</source>
        <translation>Nieporównywalne: %1 pobrał wejścia z innych kolumn niż punkt odniesienia %2.</translation>
    </message>
    <message>
        <source>Not comparable: the answers of %1 and of the baseline %2 come from different sources (LLM simulator and a real model).</source>
        <translation>Nieporównywalne: odpowiedzi %1 i punktu odniesienia %2 pochodzą z różnych źródeł (symulator LLM i prawdziwy model).</translation>
    </message>
</context>
<context>
    <name>fb::FlowEditorWidget</name>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>Nie można zapisać %1: %2</translation>
    </message>
    <message>
        <source>Problems</source>
        <translation>Problemy</translation>
    </message>
    <message>
        <source>Add node</source>
        <translation>Dodaj węzeł</translation>
    </message>
    <message>
        <source>LLM node</source>
        <translation>Węzeł LLM</translation>
    </message>
    <message>
        <source>Prompt node</source>
        <translation>Węzeł promptu</translation>
    </message>
    <message>
        <source>Python node</source>
        <translation>Węzeł Python</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Usuń</translation>
    </message>
    <message>
        <source>Auto layout</source>
        <translation>Automatyczny układ</translation>
    </message>
    <message>
        <source>Fit to view</source>
        <translation>Dopasuj do widoku</translation>
    </message>
    <message>
        <source>No flow is open.</source>
        <translation>Żaden przepływ nie jest otwarty.</translation>
    </message>
    <message>
        <source>Select an llm or prompt node to edit its template.</source>
        <translation>Wybierz węzeł llm lub prompt, aby edytować jego szablon.</translation>
    </message>
    <message>
        <source>%1 has no prompt template.</source>
        <translation>%1 nie ma szablonu promptu.</translation>
    </message>
</context>
<context>
    <name>fb::ui::AboutDialog</name>
    <message>
        <source>GNU LGPL version 3</source>
        <translation>GNU LGPL w wersji 3</translation>
    </message>
    <message>
        <source>BSD 3-Clause</source>
        <translation>BSD 3-Clause</translation>
    </message>
    <message>
        <source>MIT</source>
        <translation>MIT</translation>
    </message>
    <message>
        <source>curl licence (MIT/X derivative)</source>
        <translation>licencja curl (pochodna MIT/X)</translation>
    </message>
    <message>
        <source>public domain</source>
        <translation>domena publiczna</translation>
    </message>
    <message>
        <source>Boost Software License 1.0</source>
        <translation>Boost Software License 1.0</translation>
    </message>
    <message>
        <source>About Flowbench</source>
        <translation>O programie Flowbench</translation>
    </message>
    <message>
        <source>A workbench for LLM prompt flows: initialize, experiment, evaluate and deploy promptflow &lt;tt&gt;flow.dag.yaml&lt;/tt&gt; flows.</source>
        <translation>Warsztat dla przepływów promptów LLM: twórz, eksperymentuj, oceniaj i wdrażaj przepływy promptflow &lt;tt&gt;flow.dag.yaml&lt;/tt&gt;.</translation>
    </message>
    <message>
        <source>Flowbench ships with these components, under these licences:</source>
        <translation>Flowbench zawiera następujące komponenty, na następujących licencjach:</translation>
    </message>
</context>
<context>
    <name>fb::ui::AddNodeCommand</name>
    <message>
        <source>Add node %1</source>
        <translation>Dodaj węzeł %1</translation>
    </message>
</context>
<context>
    <name>fb::ui::BlindReviewDialog</name>
    <message>
        <source>Enter your name as the rater first.</source>
        <translation>Najpierw wpisz swoje imię jako oceniający.</translation>
    </message>
    <message>
        <source>Output 1</source>
        <translation>Odpowiedź 1</translation>
    </message>
    <message>
        <source>Output 2</source>
        <translation>Odpowiedź 2</translation>
    </message>
    <message>
        <source>Line %1 — inputs</source>
        <translation>Wiersz %1 — wejścia</translation>
    </message>
    <message>
        <source>Output 1 — %1</source>
        <translation>Odpowiedź 1 — %1</translation>
    </message>
    <message>
        <source>Output 2 — %1</source>
        <translation>Odpowiedź 2 — %1</translation>
    </message>
    <message>
        <source>output 1</source>
        <translation>odpowiedź 1</translation>
    </message>
    <message>
        <source>output 2</source>
        <translation>odpowiedź 2</translation>
    </message>
    <message>
        <source>a tie</source>
        <translation>remis</translation>
    </message>
    <message>
        <source>Prefer %1 on Line %2</source>
        <translation>Wybór: %1 w wierszu %2</translation>
    </message>
    <message>
        <source>The two runs have no completed line in common.</source>
        <translation>Te dwa przebiegi nie mają wspólnego ukończonego wiersza.</translation>
    </message>
    <message>
        <source>%1 of %1 lines judged — all done.</source>
        <translation>Ocenione wiersze: %1 z %1 — gotowe.</translation>
    </message>
    <message>
        <source>%1 of %2 lines judged</source>
        <translation>Ocenione wiersze: %1 z %2</translation>
    </message>
    <message>
        <source>No judge</source>
        <translation>Bez sędziego</translation>
    </message>
    <message>
        <source>Blind A/B Review</source>
        <translation>Ślepa ocena A/B</translation>
    </message>
    <message>
        <source>Which output is better? The runs are not named and the sides are drawn at random for each line.</source>
        <translation>Która odpowiedź jest lepsza? Przebiegi nie są nazwane, a strony losowane są dla każdego wiersza.</translation>
    </message>
    <message>
        <source>Rater:</source>
        <translation>Oceniający:</translation>
    </message>
    <message>
        <source>Inputs</source>
        <translation>Wejścia</translation>
    </message>
    <message>
        <source>← Output 1 Is Better</source>
        <translation>← Lepsza odpowiedź 1</translation>
    </message>
    <message>
        <source>Left arrow or 1</source>
        <translation>Strzałka w lewo lub 1</translation>
    </message>
    <message>
        <source>Tie</source>
        <translation>Remis</translation>
    </message>
    <message>
        <source>T or 0</source>
        <translation>T lub 0</translation>
    </message>
    <message>
        <source>Output 2 Is Better →</source>
        <translation>Lepsza odpowiedź 2 →</translation>
    </message>
    <message>
        <source>Right arrow or 2</source>
        <translation>Strzałka w prawo lub 2</translation>
    </message>
    <message>
        <source>Skip</source>
        <translation>Pomiń</translation>
    </message>
    <message>
        <source>S: decide later</source>
        <translation>S: zdecyduj później</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>Cofnij</translation>
    </message>
    <message>
        <source>Reveal Results</source>
        <translation>Odkryj wyniki</translation>
    </message>
    <message>
        <source>Names the runs and shows what every rater chose</source>
        <translation>Nazywa przebiegi i pokazuje wybory każdego oceniającego</translation>
    </message>
    <message>
        <source>Judge:</source>
        <translation>Sędzia:</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Zamknij</translation>
    </message>
</context>
<context>
    <name>fb::ui::CompareRowsModel</name>
    <message>
        <source>passed</source>
        <translation>zaliczone</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>niezaliczone</translation>
    </message>
    <message>
        <source>Worse than the baseline</source>
        <translation>Gorzej niż punkt odniesienia</translation>
    </message>
    <message>
        <source>Better than the baseline</source>
        <translation>Lepiej niż punkt odniesienia</translation>
    </message>
    <message>
        <source>Output differs from the baseline</source>
        <translation>Wynik różni się od punktu odniesienia</translation>
    </message>
    <message>
        <source>Line</source>
        <translation>Wiersz</translation>
    </message>
    <message>
        <source>%1 (baseline)</source>
        <translation>%1 (punkt odniesienia)</translation>
    </message>
</context>
<context>
    <name>fb::ui::CompareVerdictModel</name>
    <message>
        <source>Candidate</source>
        <translation>Kandydat</translation>
    </message>
    <message>
        <source>Metric</source>
        <translation>Miara</translation>
    </message>
    <message>
        <source>Win / tie / loss</source>
        <translation>Wygrane / remisy / przegrane</translation>
    </message>
    <message>
        <source>Effect</source>
        <translation>Efekt</translation>
    </message>
    <message>
        <source>p</source>
        <translation>p</translation>
    </message>
    <message>
        <source>p (Holm)</source>
        <translation>p (Holm)</translation>
    </message>
    <message>
        <source>Test</source>
        <translation>Test</translation>
    </message>
    <message>
        <source>Verdict</source>
        <translation>Werdykt</translation>
    </message>
</context>
<context>
    <name>fb::ui::CompareView</name>
    <message>
        <source>&amp;Baseline:</source>
        <translation>&amp;Punkt odniesienia:</translation>
    </message>
    <message>
        <source>&amp;Judge rows on:</source>
        <translation>&amp;Oceniaj wiersze wg:</translation>
    </message>
    <message>
        <source>&amp;Show:</source>
        <translation>Po&amp;każ:</translation>
    </message>
    <message>
        <source>The run every other run is compared with</source>
        <translation>Przebieg, z którym porównywane są pozostałe</translation>
    </message>
    <message>
        <source>The evaluator that decides which rows regressed or improved</source>
        <translation>Ewaluator, który rozstrzyga, które wiersze się pogorszyły lub poprawiły</translation>
    </message>
    <message>
        <source>All rows</source>
        <translation>Wszystkie wiersze</translation>
    </message>
    <message>
        <source>Only rows that differ</source>
        <translation>Tylko różniące się wiersze</translation>
    </message>
    <message>
        <source>Regressions</source>
        <translation>Pogorszenia</translation>
    </message>
    <message>
        <source>Improvements</source>
        <translation>Poprawy</translation>
    </message>
    <message>
        <source>Failed in any run</source>
        <translation>Nieudane w którymkolwiek przebiegu</translation>
    </message>
    <message>
        <source>Failures only</source>
        <translation>Tylko niepowodzenia</translation>
    </message>
    <message>
        <source>Select 2 to 20 runs in the list and click Compare.</source>
        <translation>Zaznacz na liście od 2 do 20 przebiegów i kliknij Porównaj.</translation>
    </message>
    <message>
        <source>Select 2 to %1 runs to compare.</source>
        <translation>Zaznacz od 2 do %1 przebiegów do porównania.</translation>
    </message>
    <message>
        <source>No workspace store is open.</source>
        <translation>Nie otwarto magazynu obszaru roboczego.</translation>
    </message>
    <message>
        <source>Comparing…</source>
        <translation>Porównywanie…</translation>
    </message>
    <message>
        <source>Cannot compare: %1</source>
        <translation>Nie można porównać: %1</translation>
    </message>
    <message>
        <source>Select a row to see every run&apos;s output, with the words that differ from the baseline marked.</source>
        <translation>Zaznacz wiersz, aby zobaczyć wynik każdego przebiegu z wyróżnionymi słowami, które różnią się od punktu odniesienia.</translation>
    </message>
    <message>
        <source>Inputs</source>
        <translation>Wejścia</translation>
    </message>
    <message>
        <source>baseline</source>
        <translation>punkt odniesienia</translation>
    </message>
    <message>
        <source>no line in this run</source>
        <translation>brak tego wiersza w przebiegu</translation>
    </message>
    <message>
        <source>Line %1</source>
        <translation>Wiersz %1</translation>
    </message>
    <message>
        <source>Baseline %1 · candidates: %9 · %2 tests, Holm-corrected at α = %3 · rows: %4 · differ: %5 · regressions: %6 · improvements: %7 · failed in any: %8</source>
        <translation>Punkt odniesienia %1 · kandydaci: %9 · testów: %2, korekta Holma przy α = %3 · wiersze: %4 · różne: %5 · pogorszenia: %6 · poprawy: %7 · nieudane gdziekolwiek: %8</translation>
    </message>
</context>
<context>
    <name>fb::ui::ConnectCommand</name>
    <message>
        <source>Connect %1 to %2</source>
        <translation>Połącz %1 z %2</translation>
    </message>
</context>
<context>
    <name>fb::ui::ConnectionItem</name>
    <message>
        <source>activate condition</source>
        <translation>warunek aktywacji</translation>
    </message>
</context>
<context>
    <name>fb::ui::ConnectionRepository</name>
    <message>
        <source>&apos;%1&apos; is not a valid connection name: use letters, digits, &apos;_&apos; and &apos;-&apos;.</source>
        <translation>„%1” nie jest poprawną nazwą połączenia: użyj liter, cyfr, „_” i „-”.</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>Nie można zapisać %1: %2</translation>
    </message>
    <message>
        <source>Cannot delete %1.</source>
        <translation>Nie można usunąć %1.</translation>
    </message>
    <message>
        <source>%1: not a connection (needs name and type)</source>
        <translation>%1: to nie jest połączenie (wymaga name i type)</translation>
    </message>
    <message>
        <source>%1: unknown connection type &apos;%2&apos;</source>
        <translation>%1: nieznany typ połączenia „%2”</translation>
    </message>
</context>
<context>
    <name>fb::ui::ConnectionsPanel</name>
    <message>
        <source>Connections</source>
        <translation>Połączenia</translation>
    </message>
    <message>
        <source>OpenAI</source>
        <translation>OpenAI</translation>
    </message>
    <message>
        <source>OpenAI-compatible server</source>
        <translation>Serwer zgodny z OpenAI</translation>
    </message>
    <message>
        <source>Azure OpenAI</source>
        <translation>Azure OpenAI</translation>
    </message>
    <message>
        <source>Anthropic</source>
        <translation>Anthropic</translation>
    </message>
    <message>
        <source>API key</source>
        <translation>Klucz API</translation>
    </message>
    <message>
        <source>Entra ID token</source>
        <translation>Token Entra ID</translation>
    </message>
    <message>
        <source>open_ai_connection</source>
        <translation>open_ai_connection</translation>
    </message>
    <message>
        <source>first listed model</source>
        <translation>pierwszy model z listy</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>Nazwa:</translation>
    </message>
    <message>
        <source>Type:</source>
        <translation>Typ:</translation>
    </message>
    <message>
        <source>API version:</source>
        <translation>Wersja API:</translation>
    </message>
    <message>
        <source>Authentication:</source>
        <translation>Uwierzytelnianie:</translation>
    </message>
    <message>
        <source>API key:</source>
        <translation>Klucz API:</translation>
    </message>
    <message>
        <source>Test model:</source>
        <translation>Model testowy:</translation>
    </message>
    <message>
        <source>New</source>
        <translation>Nowe</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Zapisz</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Usuń</translation>
    </message>
    <message>
        <source>Test Connection</source>
        <translation>Testuj połączenie</translation>
    </message>
    <message>
        <source>Simulator (built in)</source>
        <translation>Symulator (wbudowany)</translation>
    </message>
    <message>
        <source>flowbench-sim on this machine: answers are simulated, not from a model</source>
        <translation>flowbench-sim na tym komputerze: odpowiedzi są symulowane, nie pochodzą z modelu</translation>
    </message>
    <message>
        <source>not needed</source>
        <translation>niepotrzebny</translation>
    </message>
    <message>
        <source>reading…</source>
        <translation>odczyt…</translation>
    </message>
    <message>
        <source>no key stored yet</source>
        <translation>nie zapisano jeszcze klucza</translation>
    </message>
    <message>
        <source>Base URL:</source>
        <translation>Bazowy URL:</translation>
    </message>
    <message>
        <source>http://127.0.0.1:11434/v1</source>
        <translation>http://127.0.0.1:11434/v1</translation>
    </message>
    <message>
        <source>Endpoint:</source>
        <translation>Punkt końcowy:</translation>
    </message>
    <message>
        <source>https://&lt;resource&gt;.openai.azure.com</source>
        <translation>https://&lt;zasób&gt;.openai.azure.com</translation>
    </message>
    <message>
        <source>API base (optional):</source>
        <translation>Baza API (opcjonalnie):</translation>
    </message>
    <message>
        <source>https://api.anthropic.com</source>
        <translation>https://api.anthropic.com</translation>
    </message>
    <message>
        <source>Open a workspace first.</source>
        <translation>Najpierw otwórz obszar roboczy.</translation>
    </message>
    <message>
        <source>&apos;%1&apos; is the built-in Simulator&apos;s name.</source>
        <translation>„%1” to nazwa wbudowanego symulatora.</translation>
    </message>
    <message>
        <source>Saved %1 (the key is not in the file).</source>
        <translation>Zapisano %1 (klucza nie ma w pliku).</translation>
    </message>
    <message>
        <source>Starting the simulator…</source>
        <translation>Uruchamianie symulatora…</translation>
    </message>
    <message>
        <source>Testing…</source>
        <translation>Testowanie…</translation>
    </message>
    <message>
        <source>SIMULATED — flowbench-sim answers, not a real model.</source>
        <translation>SYMULACJA — odpowiada flowbench-sim, nie prawdziwy model.</translation>
    </message>
    <message>
        <source>Models (%1): %2</source>
        <translation>Modele (%1): %2</translation>
    </message>
    <message>
        <source>Models: %1</source>
        <translation>Modele: %1</translation>
    </message>
    <message>
        <source>Call to %1: first token after %2 ms, complete after %3 ms.</source>
        <translation>Wywołanie %1: pierwszy token po %2 ms, koniec po %3 ms.</translation>
    </message>
    <message>
        <source>Call to %1 failed: %2</source>
        <translation>Wywołanie %1 nie powiodło się: %2</translation>
    </message>
</context>
<context>
    <name>fb::ui::DatasetPreviewModel</name>
    <message numerus="yes">
        <source>%1: %2, missing in %n preview row(s)</source>
        <translation>
            <numerusform>%1: %2, brak w %n wierszu podglądu</numerusform>
            <numerusform>%1: %2, brak w %n wierszach podglądu</numerusform>
            <numerusform>%1: %2, brak w %n wierszach podglądu</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>fb::ui::DatasetsPanel</name>
    <message>
        <source>Attach Datasets</source>
        <translation>Dołącz zbiory danych</translation>
    </message>
    <message>
        <source>Datasets (*.jsonl *.json *.csv *.tsv)</source>
        <translation>Zbiory danych (*.jsonl *.json *.csv *.tsv)</translation>
    </message>
    <message>
        <source>Datasets</source>
        <translation>Zbiory danych</translation>
    </message>
    <message>
        <source>Drop .jsonl, .json, .csv or .tsv files here to attach them to the flow.</source>
        <translation>Upuść tutaj pliki .jsonl, .json, .csv lub .tsv, aby dołączyć je do przepływu.</translation>
    </message>
    <message>
        <source>Attach…</source>
        <translation>Dołącz…</translation>
    </message>
    <message>
        <source>Detach</source>
        <translation>Odłącz</translation>
    </message>
    <message>
        <source>Reading %1…</source>
        <translation>Odczyt %1…</translation>
    </message>
    <message numerus="yes">
        <source>%n row(s), %1 column(s)</source>
        <translation>
            <numerusform>%n wiersz, kolumny: %1</numerusform>
            <numerusform>%n wiersze, kolumny: %1</numerusform>
            <numerusform>%n wierszy, kolumny: %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>first %n row(s), %1 column(s)</source>
        <translation>
            <numerusform>pierwszy %n wiersz, kolumny: %1</numerusform>
            <numerusform>pierwsze %n wiersze, kolumny: %1</numerusform>
            <numerusform>pierwszych %n wierszy, kolumny: %1</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n bad row(s) skipped</source>
        <translation>
            <numerusform>pominięto %n błędny wiersz</numerusform>
            <numerusform>pominięto %n błędne wiersze</numerusform>
            <numerusform>pominięto %n błędnych wierszy</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>fb::ui::DeleteNodesCommand</name>
    <message>
        <source>Delete node %1</source>
        <translation>Usuń węzeł %1</translation>
    </message>
    <message numerus="yes">
        <source>Delete %n nodes</source>
        <translation>
            <numerusform>Usuń %n węzeł</numerusform>
            <numerusform>Usuń %n węzły</numerusform>
            <numerusform>Usuń %n węzłów</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>fb::ui::DisconnectCommand</name>
    <message>
        <source>Disconnect %1</source>
        <translation>Rozłącz %1</translation>
    </message>
</context>
<context>
    <name>fb::ui::EvaluatePage</name>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation>%1 min %2 s</translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1 h %2 min</translation>
    </message>
    <message>
        <source>Running %1 — SIMULATED answers</source>
        <translation>Trwa %1 — odpowiedzi SYMULOWANE</translation>
    </message>
    <message>
        <source>Running %1</source>
        <translation>Trwa %1</translation>
    </message>
    <message>
        <source>Not run: %1</source>
        <translation>Nie uruchomiono: %1</translation>
    </message>
    <message>
        <source>Cancelled %1; select it in the list and press Resume to run the missing lines.</source>
        <translation>Anulowano %1; zaznacz przebieg na liście i naciśnij Wznów, aby uruchomić brakujące wiersze.</translation>
    </message>
    <message>
        <source>%1 failed: %2</source>
        <translation>%1 nie powiodło się: %2</translation>
    </message>
    <message>
        <source>Finished %1.</source>
        <translation>Zakończono %1.</translation>
    </message>
    <message>
        <source>The answers were SIMULATED.</source>
        <translation>Odpowiedzi były SYMULOWANE.</translation>
    </message>
    <message>
        <source>Last experiment: %1</source>
        <translation>Ostatni eksperyment: %1</translation>
    </message>
    <message>
        <source>&amp;Start Experiment</source>
        <translation>&amp;Uruchom eksperyment</translation>
    </message>
    <message>
        <source>Cance&amp;l</source>
        <translation>&amp;Anuluj</translation>
    </message>
    <message>
        <source>&amp;Resume</source>
        <translation>W&amp;znów</translation>
    </message>
    <message>
        <source>Run the missing and failed lines of the selected cancelled or failed run (all runs of its experiment)</source>
        <translation>Uruchom brakujące i nieudane wiersze zaznaczonego anulowanego lub nieudanego przebiegu (wszystkich przebiegów jego eksperymentu)</translation>
    </message>
    <message>
        <source>Re&amp;fresh</source>
        <translation>&amp;Odśwież</translation>
    </message>
    <message>
        <source>Runs in this workspace</source>
        <translation>Przebiegi w tym obszarze roboczym</translation>
    </message>
    <message>
        <source>No experiment running</source>
        <translation>Żaden eksperyment nie trwa</translation>
    </message>
    <message>
        <source>Start Experiment</source>
        <translation>Uruchom eksperyment</translation>
    </message>
    <message>
        <source>The flow has unsaved changes, and an experiment runs the saved flow. Save the changes and start?</source>
        <translation>Przepływ ma niezapisane zmiany, a eksperyment uruchamia zapisany przepływ. Zapisać zmiany i uruchomić?</translation>
    </message>
    <message>
        <source>Not started: the flow could not be saved. %1</source>
        <translation>Nie uruchomiono: nie udało się zapisać przepływu. %1</translation>
    </message>
    <message>
        <source>Not started: the simulator did not start: %1</source>
        <translation>Nie uruchomiono: symulator się nie uruchomił: %1</translation>
    </message>
    <message>
        <source>Cancelling: lines in flight stop, finished lines are kept…</source>
        <translation>Anulowanie: trwające wiersze są przerywane, ukończone zostają zachowane…</translation>
    </message>
    <message>
        <source>%1 of %2 lines</source>
        <translation>%1 z %2 wierszy</translation>
    </message>
    <message>
        <source>%1 failed</source>
        <translation>nieudane: %1</translation>
    </message>
    <message>
        <source>%1 lines/s</source>
        <translation>%1 wierszy/s</translation>
    </message>
    <message>
        <source>ETA %1</source>
        <translation>pozostało ok. %1</translation>
    </message>
    <message>
        <source>%1 tokens in / %2 out</source>
        <translation>tokeny: %1 wejście / %2 wyjście</translation>
    </message>
    <message>
        <source>$%1</source>
        <translation>%1 USD</translation>
    </message>
    <message>
        <source>%1 from cache</source>
        <translation>z pamięci podręcznej: %1</translation>
    </message>
    <message>
        <source>Resuming…</source>
        <translation>Wznawianie…</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>Uruchamianie…</translation>
    </message>
    <message>
        <source>The report was not written: %1</source>
        <translation>Raport nie został zapisany: %1</translation>
    </message>
    <message>
        <source>Report written: %1</source>
        <translation>Zapisano raport: %1</translation>
    </message>
    <message>
        <source>E&amp;xport Report…</source>
        <translation>E&amp;ksportuj raport…</translation>
    </message>
    <message>
        <source>Open in &amp;Browser</source>
        <translation>Otwórz w &amp;przeglądarce</translation>
    </message>
    <message>
        <source>Export Report</source>
        <translation>Eksportuj raport</translation>
    </message>
    <message>
        <source>HTML report (*.html)</source>
        <translation>Raport HTML (*.html)</translation>
    </message>
    <message>
        <source>CSV, one row per line (*.csv)</source>
        <translation>CSV, jeden wiersz na linię (*.csv)</translation>
    </message>
    <message>
        <source>JSON (*.json)</source>
        <translation>JSON (*.json)</translation>
    </message>
    <message>
        <source>Writing %1…</source>
        <translation>Zapisywanie %1…</translation>
    </message>
    <message>
        <source>Cannot compare: %1</source>
        <translation>Nie można porównać: %1</translation>
    </message>
    <message>
        <source>&amp;Compare</source>
        <translation>Po&amp;równaj</translation>
    </message>
    <message>
        <source>Compare the selected runs (2 to 20) row by row, with the oldest as the baseline</source>
        <translation>Porównaj zaznaczone przebiegi (od 2 do 20) wiersz po wierszu; najstarszy jest punktem odniesienia</translation>
    </message>
    <message>
        <source>Lines of the Selected Run</source>
        <translation>Wiersze zaznaczonego przebiegu</translation>
    </message>
    <message>
        <source>Comparison</source>
        <translation>Porównanie</translation>
    </message>
    <message>
        <source>Charts</source>
        <translation>Wykresy</translation>
    </message>
    <message>
        <source>Save an HTML, CSV or JSON report of the selected runs, or a run bundle of them (flowbench-cli bundle show / import reads it)</source>
        <translation>Zapisz raport HTML, CSV lub JSON zaznaczonych przebiegów albo ich pakiet (czyta go flowbench-cli bundle show / import)</translation>
    </message>
    <message>
        <source>Run bundle, to open or import elsewhere (*.fbbundle)</source>
        <translation>Pakiet przebiegów do otwarcia lub importu gdzie indziej (*.fbbundle)</translation>
    </message>
    <message>
        <source>Ratings</source>
        <translation>Oceny</translation>
    </message>
</context>
<context>
    <name>fb::ui::ExperimentLauncher</name>
    <message>
        <source>Cancelled before start</source>
        <translation>Anulowano przed startem</translation>
    </message>
</context>
<context>
    <name>fb::ui::ExperimentPage</name>
    <message>
        <source>Problems (%1)</source>
        <translation>Problemy (%1)</translation>
    </message>
    <message>
        <source>Problems</source>
        <translation>Problemy</translation>
    </message>
    <message>
        <source>Run One Row</source>
        <translation>Uruchom jeden wiersz</translation>
    </message>
    <message>
        <source>Prompt</source>
        <translation>Prompt</translation>
    </message>
    <message>
        <source>Properties</source>
        <translation>Właściwości</translation>
    </message>
    <message>
        <source>This build has no flow editor: the nodes are listed read-only.</source>
        <translation>Ta kompilacja nie ma edytora przepływów: węzły są wyświetlane tylko do odczytu.</translation>
    </message>
    <message>
        <source>&lt;b&gt;%1&lt;/b&gt; &amp;nbsp; &lt;span style=&apos;color:gray&apos;&gt;%2&lt;/span&gt;</source>
        <translation>&lt;b&gt;%1&lt;/b&gt; &amp;nbsp; &lt;span style=&apos;color:gray&apos;&gt;%2&lt;/span&gt;</translation>
    </message>
    <message>
        <source>No flow open — open one with Ctrl+O or start one in Initialize.</source>
        <translation>Brak otwartego przepływu — otwórz go skrótem Ctrl+O lub utwórz w trybie Inicjuj.</translation>
    </message>
    <message>
        <source>This build has no flow editor.</source>
        <translation>Ta kompilacja nie ma edytora przepływów.</translation>
    </message>
</context>
<context>
    <name>fb::ui::ExperimentSetupPanel</name>
    <message>
        <source>&amp;Dataset:</source>
        <translation>&amp;Zbiór danych:</translation>
    </message>
    <message>
        <source>Variants (one run per combination)</source>
        <translation>Warianty (jeden przebieg na kombinację)</translation>
    </message>
    <message>
        <source>This flow has no variants: the experiment is one run.</source>
        <translation>Ten przepływ nie ma wariantów: eksperyment to jeden przebieg.</translation>
    </message>
    <message>
        <source>Evaluators</source>
        <translation>Ewaluatory</translation>
    </message>
    <message>
        <source>Evaluator</source>
        <translation>Ewaluator</translation>
    </message>
    <message>
        <source>Reference column</source>
        <translation>Kolumna wzorcowa</translation>
    </message>
    <message>
        <source>Options</source>
        <translation>Opcje</translation>
    </message>
    <message>
        <source>Simulator (simulated answers)</source>
        <translation>Symulator (odpowiedzi symulowane)</translation>
    </message>
    <message>
        <source>Workspace connections</source>
        <translation>Połączenia obszaru roboczego</translation>
    </message>
    <message>
        <source>&amp;Target:</source>
        <translation>&amp;Cel:</translation>
    </message>
    <message>
        <source>&amp;Concurrency:</source>
        <translation>&amp;Równoległość:</translation>
    </message>
    <message>
        <source>&amp;Budget cap:</source>
        <translation>&amp;Limit budżetu:</translation>
    </message>
    <message>
        <source>Cache:</source>
        <translation>Pamięć podręczna:</translation>
    </message>
    <message>
        <source>&amp;Name:</source>
        <translation>&amp;Nazwa:</translation>
    </message>
    <message>
        <source>Lines in flight at once</source>
        <translation>Wiersze przetwarzane jednocześnie</translation>
    </message>
    <message>
        <source>No limit</source>
        <translation>Bez limitu</translation>
    </message>
    <message>
        <source>Stop starting lines once the cost so far reaches this</source>
        <translation>Przestań uruchamiać wiersze, gdy dotychczasowy koszt osiągnie tę kwotę</translation>
    </message>
    <message>
        <source>Reuse cached answers to identical requests</source>
        <translation>Używaj zapamiętanych odpowiedzi</translation>
    </message>
    <message>
        <source>Open a flow to set up an experiment.</source>
        <translation>Otwórz przepływ, aby przygotować eksperyment.</translation>
    </message>
    <message>
        <source>Flow: %1</source>
        <translation>Przepływ: %1</translation>
    </message>
    <message>
        <source>Open a flow first.</source>
        <translation>Najpierw otwórz przepływ.</translation>
    </message>
    <message>
        <source>Attach a dataset to the flow in Initialize first.</source>
        <translation>Najpierw dołącz zbiór danych do przepływu w trybie Inicjalizacja.</translation>
    </message>
    <message>
        <source>Choose at least one variant of %1.</source>
        <translation>Wybierz co najmniej jeden wariant węzła %1.</translation>
    </message>
    <message>
        <source>%1 needs a reference column, and the dataset has none.</source>
        <translation>%1 wymaga kolumny wzorcowej, a zbiór danych jej nie ma.</translation>
    </message>
    <message>
        <source>%1-YYYYMMDD-hhmmss (default)</source>
        <translation>%1-RRRRMMDD-ggmmss (domyślnie)</translation>
    </message>
    <message>
        <source>Runs: %1</source>
        <translation>Przebiegi: %1</translation>
    </message>
    <message>
        <source>Runs: %1 · rows: %2 · lines: %3</source>
        <translation>Przebiegi: %1 · wiersze danych: %2 · wiersze do uruchomienia: %3</translation>
    </message>
    <message>
        <source>Runs: %1 · rows: more than %2</source>
        <translation>Przebiegi: %1 · wiersze danych: ponad %2</translation>
    </message>
</context>
<context>
    <name>fb::ui::FlowMetadata</name>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>Nie można zapisać %1: %2</translation>
    </message>
</context>
<context>
    <name>fb::ui::FlowScene</name>
    <message>
        <source>Auto layout</source>
        <translation>Automatyczny układ</translation>
    </message>
    <message>
        <source>Delete selection</source>
        <translation>Usuń zaznaczenie</translation>
    </message>
    <message>
        <source>Rename node</source>
        <translation>Zmień nazwę węzła</translation>
    </message>
    <message>
        <source>New name:</source>
        <translation>Nowa nazwa:</translation>
    </message>
    <message>
        <source>&quot;%1&quot; cannot be used: a node name is letters, digits and underscores, starts with a letter, and is not used or referenced yet.</source>
        <translation>Nie można użyć „%1”: nazwa węzła składa się z liter, cyfr i podkreśleń, zaczyna się literą i nie może być już używana ani przywoływana.</translation>
    </message>
    <message>
        <source>Rename…</source>
        <translation>Zmień nazwę…</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Usuń</translation>
    </message>
    <message>
        <source>Disconnect</source>
        <translation>Rozłącz</translation>
    </message>
    <message>
        <source>Add LLM node</source>
        <translation>Dodaj węzeł LLM</translation>
    </message>
    <message>
        <source>Add prompt node</source>
        <translation>Dodaj węzeł promptu</translation>
    </message>
    <message>
        <source>Add Python node</source>
        <translation>Dodaj węzeł Python</translation>
    </message>
</context>
<context>
    <name>fb::ui::FlowTemplates</name>
    <message>
        <source>%1 already exists.</source>
        <translation>%1 już istnieje.</translation>
    </message>
    <message>
        <source>Cannot create %1.</source>
        <translation>Nie można utworzyć %1.</translation>
    </message>
    <message>
        <source>Cannot copy %1 to %2.</source>
        <translation>Nie można skopiować %1 do %2.</translation>
    </message>
</context>
<context>
    <name>fb::ui::FlowView</name>
    <message>
        <source>Flow graph</source>
        <translation>Graf przepływu</translation>
    </message>
</context>
<context>
    <name>fb::ui::InitializePage</name>
    <message>
        <source>Start a flow</source>
        <translation>Rozpocznij przepływ</translation>
    </message>
    <message>
        <source>Create from Template</source>
        <translation>Utwórz z szablonu</translation>
    </message>
    <message>
        <source>Open Flow Folder…</source>
        <translation>Otwórz folder przepływu…</translation>
    </message>
    <message>
        <source>Goal and notes</source>
        <translation>Cel i notatki</translation>
    </message>
    <message>
        <source>What should this flow achieve? Who reads its output? What does good look like?</source>
        <translation>Co ma osiągnąć ten przepływ? Kto czyta jego wynik? Jak wygląda dobry wynik?</translation>
    </message>
    <message>
        <source>No flow open — create one from a template or open a folder.</source>
        <translation>Brak otwartego przepływu — utwórz go z szablonu lub otwórz folder.</translation>
    </message>
    <message>
        <source>Flow: %1</source>
        <translation>Przepływ: %1</translation>
    </message>
    <message>
        <source>Notes saved</source>
        <translation>Zapisano notatki</translation>
    </message>
    <message>
        <source>Open a workspace first.</source>
        <translation>Najpierw otwórz obszar roboczy.</translation>
    </message>
    <message>
        <source>Created %1</source>
        <translation>Utworzono %1</translation>
    </message>
    <message>
        <source>New Flow</source>
        <translation>Nowy przepływ</translation>
    </message>
    <message>
        <source>&quot;%1&quot; cannot be a flow folder name: use letters, digits, &apos;_&apos;, &apos;-&apos;, &apos;.&apos; and spaces.</source>
        <translation>„%1” nie może być nazwą folderu przepływu: użyj liter, cyfr, „_”, „-”, „.” i spacji.</translation>
    </message>
    <message>
        <source>%1 already exists in the workspace.</source>
        <translation>%1 już istnieje w obszarze roboczym.</translation>
    </message>
    <message>
        <source>Folder name for the new flow (in %1):</source>
        <translation>Nazwa folderu nowego przepływu (w %1):</translation>
    </message>
</context>
<context>
    <name>fb::ui::MainWindow</name>
    <message>
        <source>Ctrl+Shift+O</source>
        <translation>Ctrl+Shift+O</translation>
    </message>
    <message>
        <source>Open Flow</source>
        <translation>Otwórz przepływ</translation>
    </message>
    <message>
        <source>Simulator running at %1 — its answers are simulated</source>
        <translation>Symulator działa pod adresem %1 — jego odpowiedzi są symulowane</translation>
    </message>
    <message>
        <source>Simulator failed: %1</source>
        <translation>Błąd symulatora: %1</translation>
    </message>
    <message>
        <source>Save Flow</source>
        <translation>Zapisz przepływ</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>Zapisano %1</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Plik</translation>
    </message>
    <message>
        <source>Recent &amp;Flows</source>
        <translation>Ostatnie &amp;przepływy</translation>
    </message>
    <message>
        <source>Recent &amp;Workspaces</source>
        <translation>Ostatnie &amp;obszary robocze</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>&amp;Edycja</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Widok</translation>
    </message>
    <message>
        <source>&amp;Run</source>
        <translation>&amp;Uruchom</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>Pomo&amp;c</translation>
    </message>
    <message>
        <source>&amp;Open Flow…</source>
        <translation>&amp;Otwórz przepływ…</translation>
    </message>
    <message>
        <source>Open &amp;Workspace…</source>
        <translation>Otwórz obszar &amp;roboczy…</translation>
    </message>
    <message>
        <source>&amp;Save Flow</source>
        <translation>&amp;Zapisz przepływ</translation>
    </message>
    <message>
        <source>Se&amp;ttings…</source>
        <translation>Us&amp;tawienia…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>Za&amp;kończ</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>&amp;Cofnij</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>&amp;Ponów</translation>
    </message>
    <message>
        <source>Run &amp;One Row</source>
        <translation>Uruchom &amp;jeden wiersz</translation>
    </message>
    <message>
        <source>&amp;Cancel Run</source>
        <translation>&amp;Anuluj uruchomienie</translation>
    </message>
    <message>
        <source>&amp;Keyboard Shortcuts</source>
        <translation>&amp;Skróty klawiszowe</translation>
    </message>
    <message>
        <source>&amp;About Flowbench</source>
        <translation>&amp;O programie Flowbench</translation>
    </message>
    <message>
        <source>Initialize</source>
        <translation>Inicjuj</translation>
    </message>
    <message>
        <source>Experiment</source>
        <translation>Eksperyment</translation>
    </message>
    <message>
        <source>Evaluate</source>
        <translation>Ocena</translation>
    </message>
    <message>
        <source>Deploy</source>
        <translation>Wdrożenie</translation>
    </message>
    <message>
        <source>Start a flow, attach data and set up connections</source>
        <translation>Rozpocznij przepływ, dołącz dane i skonfiguruj połączenia</translation>
    </message>
    <message>
        <source>Edit the flow and run it on one row</source>
        <translation>Edytuj przepływ i uruchom go na jednym wierszu</translation>
    </message>
    <message>
        <source>Batch runs, metrics and comparisons</source>
        <translation>Przebiegi wsadowe, metryki i porównania</translation>
    </message>
    <message>
        <source>Versions, approval and rollout</source>
        <translation>Wersje, zatwierdzanie i wdrażanie</translation>
    </message>
    <message>
        <source>%1 Mode</source>
        <translation>Tryb: %1</translation>
    </message>
    <message>
        <source>Deploy — coming later</source>
        <translation>Wdrożenie — później</translation>
    </message>
    <message>
        <source>&lt;p&gt;Version history with diffs, an approval gate backed by evaluation evidence, push to a serving gateway or Kubernetes with canary traffic, live metrics from the target, and one-action rollback.&lt;/p&gt;</source>
        <translation>&lt;p&gt;Historia wersji z różnicami, bramka zatwierdzania oparta na wynikach oceny, wypychanie do bramy serwującej lub Kubernetes z ruchem kanarkowym, metryki na żywo z celu oraz wycofanie jednym działaniem.&lt;/p&gt;</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>Gotowe</translation>
    </message>
    <message>
        <source>Open Workspace</source>
        <translation>Otwórz obszar roboczy</translation>
    </message>
    <message>
        <source>Workspace %1</source>
        <translation>Obszar roboczy %1</translation>
    </message>
    <message>
        <source>%1 holds no flow.dag.yaml.</source>
        <translation>%1 nie zawiera pliku flow.dag.yaml.</translation>
    </message>
    <message>
        <source>Open a Flow Folder (with flow.dag.yaml)</source>
        <translation>Otwórz folder przepływu (z flow.dag.yaml)</translation>
    </message>
    <message>
        <source>Open or Create a Workspace Folder</source>
        <translation>Otwórz lub utwórz folder obszaru roboczego</translation>
    </message>
    <message>
        <source>Keyboard Shortcuts</source>
        <translation>Skróty klawiszowe</translation>
    </message>
    <message>
        <source>Unsaved Changes</source>
        <translation>Niezapisane zmiany</translation>
    </message>
    <message>
        <source>Save the changes to %1?</source>
        <translation>Zapisać zmiany w %1?</translation>
    </message>
    <message>
        <source>Could not keep a recovery copy: %1</source>
        <translation>Nie można zachować kopii do odzyskania: %1</translation>
    </message>
    <message>
        <source>Recover Unsaved Changes</source>
        <translation>Odzyskaj niezapisane zmiany</translation>
    </message>
    <message>
        <source>The recovered changes could not be loaded (%1). They are kept in %2.</source>
        <translation>Nie można wczytać odzyskanych zmian (%1). Pozostają zachowane w %2.</translation>
    </message>
    <message>
        <source>Recovered unsaved changes from %1 — save to keep them</source>
        <translation>Odzyskano niezapisane zmiany z %1 — zapisz, aby je zachować</translation>
    </message>
    <message>
        <source>%1 has changes from %2 that were never saved (Flowbench did not close normally). Recover them?</source>
        <translation>%1 ma zmiany z %2, które nie zostały zapisane (Flowbench nie zamknął się prawidłowo). Odzyskać je?</translation>
    </message>
    <message>
        <source>&amp;Undo %1</source>
        <translation>&amp;Cofnij: %1</translation>
    </message>
    <message>
        <source>&amp;Redo %1</source>
        <translation>&amp;Ponów: %1</translation>
    </message>
    <message>
        <source>Opened %1</source>
        <translation>Otwarto %1</translation>
    </message>
    <message>
        <source>workspace %1</source>
        <translation>obszar roboczy %1</translation>
    </message>
    <message>
        <source>F</source>
        <translation>F</translation>
    </message>
    <message>
        <source>Fit the flow in the view</source>
        <translation>Dopasuj przepływ do widoku</translation>
    </message>
    <message>
        <source>Ctrl+Wheel, Ctrl++ / Ctrl+-</source>
        <translation>Ctrl+kółko, Ctrl++ / Ctrl+-</translation>
    </message>
    <message>
        <source>Zoom the flow graph</source>
        <translation>Powiększ lub pomniejsz graf przepływu</translation>
    </message>
    <message>
        <source>Ctrl+0</source>
        <translation>Ctrl+0</translation>
    </message>
    <message>
        <source>Zoom to 100%</source>
        <translation>Powiększenie 100%</translation>
    </message>
    <message>
        <source>Space+Drag</source>
        <translation>Spacja+przeciągnij</translation>
    </message>
    <message>
        <source>Pan the flow graph</source>
        <translation>Przesuń widok grafu przepływu</translation>
    </message>
    <message>
        <source>Delete, Backspace</source>
        <translation>Delete, Backspace</translation>
    </message>
    <message>
        <source>Delete the selected nodes or connections</source>
        <translation>Usuń zaznaczone węzły lub połączenia</translation>
    </message>
    <message>
        <source>F2</source>
        <translation>F2</translation>
    </message>
    <message>
        <source>Rename the selected node</source>
        <translation>Zmień nazwę zaznaczonego węzła</translation>
    </message>
    <message>
        <source>In the flow graph</source>
        <translation>W grafie przepływu</translation>
    </message>
</context>
<context>
    <name>fb::ui::MoveNodesCommand</name>
    <message>
        <source>Move node</source>
        <translation>Przesuń węzeł</translation>
    </message>
    <message numerus="yes">
        <source>Move %n nodes</source>
        <translation>
            <numerusform>Przesuń %n węzeł</numerusform>
            <numerusform>Przesuń %n węzły</numerusform>
            <numerusform>Przesuń %n węzłów</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>fb::ui::NodeItem</name>
    <message>
        <source>Inputs</source>
        <translation>Wejścia</translation>
    </message>
    <message>
        <source>flow inputs</source>
        <translation>wejścia przepływu</translation>
    </message>
    <message>
        <source>Outputs</source>
        <translation>Wyjścia</translation>
    </message>
    <message>
        <source>flow outputs</source>
        <translation>wyjścia przepływu</translation>
    </message>
    <message>
        <source>aggregation</source>
        <translation>agregacja</translation>
    </message>
    <message>
        <source>activate when</source>
        <translation>aktywuj, gdy</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>(brak)</translation>
    </message>
</context>
<context>
    <name>fb::ui::NodePropertiesPanel</name>
    <message>
        <source>Select a node to see its properties.</source>
        <translation>Wybierz węzeł, aby zobaczyć jego właściwości.</translation>
    </message>
    <message>
        <source>file relative to the flow folder</source>
        <translation>plik względem folderu przepływu</translation>
    </message>
    <message>
        <source>Name</source>
        <translation>Nazwa</translation>
    </message>
    <message>
        <source>Type</source>
        <translation>Typ</translation>
    </message>
    <message>
        <source>Source</source>
        <translation>Źródło</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>Model</translation>
    </message>
    <message>
        <source>Connection</source>
        <translation>Połączenie</translation>
    </message>
    <message>
        <source>API</source>
        <translation>API</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>Parametry</translation>
    </message>
    <message>
        <source>text, or a JSON list</source>
        <translation>tekst lub lista JSON</translation>
    </message>
    <message>
        <source>Inputs</source>
        <translation>Wejścia</translation>
    </message>
    <message>
        <source>Value or reference</source>
        <translation>Wartość lub odwołanie</translation>
    </message>
    <message>
        <source>Add input</source>
        <translation>Dodaj wejście</translation>
    </message>
    <message>
        <source>Remove input</source>
        <translation>Usuń wejście</translation>
    </message>
    <message>
        <source>Run only when</source>
        <translation>Uruchamiaj tylko, gdy</translation>
    </message>
    <message>
        <source>a literal, e.g. true</source>
        <translation>literał, np. true</translation>
    </message>
    <message>
        <source>Reference</source>
        <translation>Odwołanie</translation>
    </message>
    <message>
        <source>Equals</source>
        <translation>Równa się</translation>
    </message>
    <message>
        <source>Aggregation (runs once over all lines)</source>
        <translation>Agregacja (uruchamiana raz dla wszystkich wierszy)</translation>
    </message>
    <message>
        <source>Deployment</source>
        <translation>Wdrożenie modelu</translation>
    </message>
    <message>
        <source>Rename node</source>
        <translation>Zmień nazwę węzła</translation>
    </message>
    <message>
        <source>&quot;%1&quot; cannot be used: a node name is letters, digits and underscores, starts with a letter, and is not used or referenced yet.</source>
        <translation>Nie można użyć „%1”: nazwa węzła składa się z liter, cyfr i podkreśleń, zaczyna się literą i nie może być już używana ani przywoływana.</translation>
    </message>
</context>
<context>
    <name>fb::ui::ProblemsModel</name>
    <message>
        <source>inputs</source>
        <translation>wejścia</translation>
    </message>
    <message>
        <source>outputs</source>
        <translation>wyjścia</translation>
    </message>
</context>
<context>
    <name>fb::ui::PromptEditor</name>
    <message>
        <source>Prompt template</source>
        <translation>Szablon promptu</translation>
    </message>
    <message>
        <source>Rendered prompt preview</source>
        <translation>Podgląd wyrenderowanego promptu</translation>
    </message>
    <message>
        <source>The rendered messages appear here.</source>
        <translation>Tutaj pojawią się wyrenderowane wiadomości.</translation>
    </message>
    <message>
        <source>Preview</source>
        <translation>Podgląd</translation>
    </message>
    <message>
        <source>Select an llm or prompt node to edit its template.</source>
        <translation>Wybierz węzeł llm lub prompt, aby edytować jego szablon.</translation>
    </message>
    <message>
        <source>No template</source>
        <translation>Brak szablonu</translation>
    </message>
    <message>
        <source>Variables without a value: %1</source>
        <translation>Zmienne bez wartości: %1</translation>
    </message>
</context>
<context>
    <name>fb::ui::RatingBar</name>
    <message>
        <source>pass</source>
        <translation>zaliczone</translation>
    </message>
    <message>
        <source>fail</source>
        <translation>niezaliczone</translation>
    </message>
    <message numerus="yes">
        <source>%n star(s)</source>
        <translation>
            <numerusform>%n gwiazdka</numerusform>
            <numerusform>%n gwiazdki</numerusform>
            <numerusform>%n gwiazdek</numerusform>
        </translation>
    </message>
    <message>
        <source>comment</source>
        <translation>komentarz</translation>
    </message>
    <message>
        <source>Enter your name as the rater first.</source>
        <translation>Najpierw wpisz swoje imię jako oceniający.</translation>
    </message>
    <message>
        <source>Rate Line %1 %2</source>
        <translation>Ocena wiersza %1: %2</translation>
    </message>
    <message>
        <source>Not rated yet.</source>
        <translation>Jeszcze nieocenione.</translation>
    </message>
    <message>
        <source>Rate a line:</source>
        <translation>Oceń wiersz:</translation>
    </message>
    <message>
        <source>Rate line %1:</source>
        <translation>Oceń wiersz %1:</translation>
    </message>
    <message>
        <source>as</source>
        <translation>jako</translation>
    </message>
    <message>
        <source>Your name</source>
        <translation>Twoje imię</translation>
    </message>
    <message>
        <source>The name your ratings are stored under</source>
        <translation>Imię, pod którym zapisywane są Twoje oceny</translation>
    </message>
    <message>
        <source>Pass</source>
        <translation>Zalicz</translation>
    </message>
    <message>
        <source>The output is acceptable (P)</source>
        <translation>Odpowiedź jest do przyjęcia (P)</translation>
    </message>
    <message>
        <source>Fail</source>
        <translation>Odrzuć</translation>
    </message>
    <message>
        <source>The output is not acceptable (F)</source>
        <translation>Odpowiedź nie jest do przyjęcia (F)</translation>
    </message>
    <message numerus="yes">
        <source>%n of 5 stars (%1)</source>
        <translation>
            <numerusform>%n z 5 gwiazdek (%1)</numerusform>
            <numerusform>%n z 5 gwiazdek (%1)</numerusform>
            <numerusform>%n z 5 gwiazdek (%1)</numerusform>
        </translation>
    </message>
    <message>
        <source>Comment (C; Enter saves it)</source>
        <translation>Komentarz (C; Enter zapisuje)</translation>
    </message>
    <message>
        <source>A run bundle is read-only: ratings cannot be added here.</source>
        <translation>Paczka przebiegów jest tylko do odczytu: nie można tu dodawać ocen.</translation>
    </message>
</context>
<context>
    <name>fb::ui::RatingsView</name>
    <message>
        <source>No judge</source>
        <translation>Bez sędziego</translation>
    </message>
    <message>
        <source>Select a run to see its ratings, or two runs for their blind A/B review.</source>
        <translation>Zaznacz przebieg, aby zobaczyć jego oceny, albo dwa przebiegi, aby zobaczyć ich ślepą ocenę A/B.</translation>
    </message>
    <message>
        <source>Ratings of %1</source>
        <translation>Oceny przebiegu %1</translation>
    </message>
    <message>
        <source>Agreement on pass/fail</source>
        <translation>Zgodność co do zaliczenia</translation>
    </message>
    <message>
        <source>Agreement on stars</source>
        <translation>Zgodność co do gwiazdek</translation>
    </message>
    <message>
        <source>Compare raters with the judge:</source>
        <translation>Porównaj oceniających z sędzią:</translation>
    </message>
    <message>
        <source>Blind A/B Review…</source>
        <translation>Ślepa ocena A/B…</translation>
    </message>
    <message>
        <source>Judge the outputs of the two selected runs line by line without knowing which run wrote which</source>
        <translation>Oceniaj odpowiedzi dwóch zaznaczonych przebiegów wiersz po wierszu, nie wiedząc, który przebieg napisał którą</translation>
    </message>
</context>
<context>
    <name>fb::ui::RenameNodeCommand</name>
    <message>
        <source>Rename %1 to %2</source>
        <translation>Zmień nazwę %1 na %2</translation>
    </message>
</context>
<context>
    <name>fb::ui::ReviewSummaryText</name>
    <message>
        <source>%1 pass, %2 fail (%3 pass)</source>
        <translation>zaliczone: %1, niezaliczone: %2 (%3 zaliczonych)</translation>
    </message>
    <message>
        <source>mean stars %1 (%2 rated)</source>
        <translation>średnio gwiazdek: %1 (ocen: %2)</translation>
    </message>
    <message numerus="yes">
        <source>%n comment(s)</source>
        <translation>
            <numerusform>%n komentarz</numerusform>
            <numerusform>%n komentarze</numerusform>
            <numerusform>%n komentarzy</numerusform>
        </translation>
    </message>
    <message>
        <source>No ratings yet: select a line in &quot;Lines of the Selected Run&quot; and press P, F or 1–5.</source>
        <translation>Brak ocen: zaznacz wiersz w „Wiersze zaznaczonego przebiegu” i naciśnij P, F albo 1–5.</translation>
    </message>
    <message>
        <source>lines</source>
        <translation>wiersze</translation>
    </message>
    <message>
        <source>Cohen&apos;s kappa</source>
        <translation>kappa Cohena</translation>
    </message>
    <message>
        <source>undefined</source>
        <translation>nieokreślona</translation>
    </message>
    <message>
        <source>worse than chance</source>
        <translation>gorzej niż przypadek</translation>
    </message>
    <message>
        <source>slight agreement</source>
        <translation>nikła zgodność</translation>
    </message>
    <message>
        <source>fair agreement</source>
        <translation>słaba zgodność</translation>
    </message>
    <message>
        <source>moderate agreement</source>
        <translation>umiarkowana zgodność</translation>
    </message>
    <message>
        <source>substantial agreement</source>
        <translation>znaczna zgodność</translation>
    </message>
    <message>
        <source>almost perfect agreement</source>
        <translation>niemal pełna zgodność</translation>
    </message>
    <message>
        <source>Blind A/B review: A = %1, B = %2</source>
        <translation>Ślepa ocena A/B: A = %1, B = %2</translation>
    </message>
    <message>
        <source>No preferences recorded yet.</source>
        <translation>Nie zapisano jeszcze żadnych wyborów.</translation>
    </message>
    <message>
        <source>Every choice so far is a tie.</source>
        <translation>Każdy dotychczasowy wybór to remis.</translation>
    </message>
    <message>
        <source>Raters prefer %1: %2 of the decided choices, p = %3 (sign test).</source>
        <translation>Oceniający wolą %1: %2 rozstrzygniętych wyborów, p = %3 (test znaków).</translation>
    </message>
    <message>
        <source>No significant preference: %1 got %2 of the decided choices, p = %3 (sign test).</source>
        <translation>Brak istotnej preferencji: %1 dostał %2 rozstrzygniętych wyborów, p = %3 (test znaków).</translation>
    </message>
    <message>
        <source>rater</source>
        <translation>oceniający</translation>
    </message>
    <message>
        <source>tie</source>
        <translation>remis</translation>
    </message>
    <message>
        <source>left chosen</source>
        <translation>wybrana lewa</translation>
    </message>
    <message>
        <source>all</source>
        <translation>wszyscy</translation>
    </message>
    <message>
        <source>Position bias: %1 of the decided choices went to the output on the left.</source>
        <translation>Skłonność do strony: %1 rozstrzygniętych wyborów padło na odpowiedź po lewej.</translation>
    </message>
    <message>
        <source>Agreement between raters</source>
        <translation>Zgodność oceniających</translation>
    </message>
    <message numerus="yes">
        <source>Fleiss&apos; kappa over %n line(s) judged by every rater: %1 (%2).</source>
        <translation>
            <numerusform>kappa Fleissa na %n wierszu ocenionym przez wszystkich: %1 (%2).</numerusform>
            <numerusform>kappa Fleissa na %n wierszach ocenionych przez wszystkich: %1 (%2).</numerusform>
            <numerusform>kappa Fleissa na %n wierszach ocenionych przez wszystkich: %1 (%2).</numerusform>
        </translation>
    </message>
    <message>
        <source>Fleiss&apos; kappa: no line was judged by every rater yet.</source>
        <translation>kappa Fleissa: żaden wiersz nie został jeszcze oceniony przez wszystkich.</translation>
    </message>
    <message>
        <source>Raters against the judge %1 (it prefers the better result)</source>
        <translation>Oceniający a sędzia %1 (wybiera lepszy wynik)</translation>
    </message>
    <message>
        <source>judge</source>
        <translation>sędzia</translation>
    </message>
    <message>
        <source>No ratings of this kind yet.</source>
        <translation>Brak jeszcze ocen tego rodzaju.</translation>
    </message>
    <message numerus="yes">
        <source>%n rater(s) on %1 line(s).</source>
        <translation>
            <numerusform>%n oceniający, wiersze: %1.</numerusform>
            <numerusform>%n oceniających, wiersze: %1.</numerusform>
            <numerusform>%n oceniających, wiersze: %1.</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>Fleiss&apos; kappa over %n line(s) rated by every rater: %1 (%2).</source>
        <translation>
            <numerusform>kappa Fleissa na %n wierszu ocenionym przez wszystkich: %1 (%2).</numerusform>
            <numerusform>kappa Fleissa na %n wierszach ocenionych przez wszystkich: %1 (%2).</numerusform>
            <numerusform>kappa Fleissa na %n wierszach ocenionych przez wszystkich: %1 (%2).</numerusform>
        </translation>
    </message>
    <message>
        <source>Fleiss&apos; kappa: no line was rated by every rater yet.</source>
        <translation>kappa Fleissa: żaden wiersz nie został jeszcze oceniony przez wszystkich.</translation>
    </message>
    <message>
        <source>judge %1</source>
        <translation>sędzia %1</translation>
    </message>
</context>
<context>
    <name>fb::ui::RunChartBuilder</name>
    <message>
        <source>Pass rate (%)</source>
        <translation>Odsetek zaliczeń (%)</translation>
    </message>
    <message>
        <source>Mean score</source>
        <translation>Średni wynik</translation>
    </message>
    <message>
        <source>Quality: %1 (mean with 95 % interval)</source>
        <translation>Jakość: %1 (średnia z przedziałem 95 %)</translation>
    </message>
    <message>
        <source>no evaluator</source>
        <translation>brak ewaluatora</translation>
    </message>
    <message>
        <source>These runs have no evaluator scores.</source>
        <translation>Te przebiegi nie mają wyników ewaluatorów.</translation>
    </message>
    <message>
        <source>No run has scores of %1.</source>
        <translation>Żaden przebieg nie ma wyników %1.</translation>
    </message>
    <message>
        <source>Pass rate</source>
        <translation>Odsetek zaliczeń</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>Przebieg</translation>
    </message>
    <message>
        <source>LLM calls</source>
        <translation>Wywołania LLM</translation>
    </message>
    <message>
        <source>Line latency</source>
        <translation>Opóźnienie wiersza</translation>
    </message>
    <message>
        <source>Line latency (ms)</source>
        <translation>Opóźnienie wiersza (ms)</translation>
    </message>
    <message>
        <source>Lines</source>
        <translation>Wiersze</translation>
    </message>
    <message>
        <source>Time to first token (TTFT)</source>
        <translation>Czas do pierwszego tokenu (TTFT)</translation>
    </message>
    <message>
        <source>Time to first token (ms)</source>
        <translation>Czas do pierwszego tokenu (ms)</translation>
    </message>
    <message>
        <source>Time per output token (TPOT)</source>
        <translation>Czas na token wyjściowy (TPOT)</translation>
    </message>
    <message>
        <source>Time per output token (ms)</source>
        <translation>Czas na token wyjściowy (ms)</translation>
    </message>
    <message>
        <source>%1: nothing recorded.</source>
        <translation>%1: nic nie zarejestrowano.</translation>
    </message>
    <message>
        <source>%1 %2 ms</source>
        <translation>%1 %2 ms</translation>
    </message>
    <message>
        <source>%1: %2 of %3 values are above p99.5 (%4 ms) and not drawn; the largest is %5 ms.</source>
        <translation>%1: %2 z %3 wartości przekracza p99,5 (%4 ms) i nie są rysowane; największa to %5 ms.</translation>
    </message>
    <message>
        <source>Cost per run</source>
        <translation>Koszt przebiegu</translation>
    </message>
    <message>
        <source>Cost per 1,000 lines (USD)</source>
        <translation>Koszt na 1000 wierszy (USD)</translation>
    </message>
    <message>
        <source>Total cost (USD)</source>
        <translation>Koszt łączny (USD)</translation>
    </message>
    <message>
        <source>%1: %2 lines have no price and are not counted.</source>
        <translation>%1: %2 wierszy nie ma ceny i nie są liczone.</translation>
    </message>
    <message>
        <source>Quality vs cost: %1</source>
        <translation>Jakość a koszt: %1</translation>
    </message>
    <message>
        <source>No run has both a price and scores of %1.</source>
        <translation>Żaden przebieg nie ma jednocześnie ceny i wyników %1.</translation>
    </message>
    <message>
        <source>Pareto front</source>
        <translation>Front Pareto</translation>
    </message>
    <message>
        <source>Pass rate of %1 (%)</source>
        <translation>Odsetek zaliczeń %1 (%)</translation>
    </message>
    <message>
        <source>Mean score of %1</source>
        <translation>Średni wynik %1</translation>
    </message>
    <message>
        <source>p50 line latency (ms)</source>
        <translation>p50 opóźnienia wiersza (ms)</translation>
    </message>
    <message>
        <source>p95 line latency (ms)</source>
        <translation>p95 opóźnienia wiersza (ms)</translation>
    </message>
    <message>
        <source>Trend over the runs of %1</source>
        <translation>Trend w przebiegach %1</translation>
    </message>
    <message>
        <source>No run of this flow has this figure.</source>
        <translation>Żaden przebieg tego przepływu nie ma tej wartości.</translation>
    </message>
    <message>
        <source>Run, oldest first</source>
        <translation>Przebieg, od najstarszego</translation>
    </message>
</context>
<context>
    <name>fb::ui::RunChartsView</name>
    <message>
        <source>Select runs to chart.</source>
        <translation>Zaznacz przebiegi do wykresu.</translation>
    </message>
    <message>
        <source>Computing…</source>
        <translation>Obliczanie…</translation>
    </message>
    <message>
        <source>The chart could not be computed: %1</source>
        <translation>Nie udało się obliczyć wykresu: %1</translation>
    </message>
    <message>
        <source>Could not write %1.</source>
        <translation>Nie udało się zapisać %1.</translation>
    </message>
    <message>
        <source>A chart exported from Flowbench</source>
        <translation>Wykres wyeksportowany z Flowbench</translation>
    </message>
    <message>
        <source>Export Chart as SVG</source>
        <translation>Eksportuj wykres jako SVG</translation>
    </message>
    <message>
        <source>Export Chart as PNG</source>
        <translation>Eksportuj wykres jako PNG</translation>
    </message>
    <message>
        <source>SVG image (*.svg)</source>
        <translation>Obraz SVG (*.svg)</translation>
    </message>
    <message>
        <source>PNG image (*.png)</source>
        <translation>Obraz PNG (*.png)</translation>
    </message>
    <message>
        <source>Saved %1</source>
        <translation>Zapisano %1</translation>
    </message>
    <message>
        <source>&amp;Chart:</source>
        <translation>&amp;Wykres:</translation>
    </message>
    <message>
        <source>&amp;Evaluator:</source>
        <translation>&amp;Ewaluator:</translation>
    </message>
    <message>
        <source>&amp;Metric:</source>
        <translation>&amp;Miara:</translation>
    </message>
    <message>
        <source>Export PNG…</source>
        <translation>Eksportuj PNG…</translation>
    </message>
    <message>
        <source>Export SVG…</source>
        <translation>Eksportuj SVG…</translation>
    </message>
    <message>
        <source>Quality</source>
        <translation>Jakość</translation>
    </message>
    <message>
        <source>Latency</source>
        <translation>Opóźnienie</translation>
    </message>
    <message>
        <source>TTFT</source>
        <translation>TTFT</translation>
    </message>
    <message>
        <source>TPOT</source>
        <translation>TPOT</translation>
    </message>
    <message>
        <source>Cost</source>
        <translation>Koszt</translation>
    </message>
    <message>
        <source>Quality vs cost</source>
        <translation>Jakość a koszt</translation>
    </message>
    <message>
        <source>Trend</source>
        <translation>Trend</translation>
    </message>
    <message>
        <source>p50 latency</source>
        <translation>Opóźnienie p50</translation>
    </message>
    <message>
        <source>p95 latency</source>
        <translation>Opóźnienie p95</translation>
    </message>
    <message>
        <source>Cost per 1,000 lines</source>
        <translation>Koszt na 1000 wierszy</translation>
    </message>
</context>
<context>
    <name>fb::ui::RunPanel</name>
    <message>
        <source>Inputs (JSON)</source>
        <translation>Wejścia (JSON)</translation>
    </message>
    <message>
        <source>Trace</source>
        <translation>Ślad</translation>
    </message>
    <message>
        <source>Row:</source>
        <translation>Wiersz:</translation>
    </message>
    <message>
        <source>Simulator</source>
        <translation>Symulator</translation>
    </message>
    <message>
        <source>Workspace connections</source>
        <translation>Połączenia obszaru roboczego</translation>
    </message>
    <message>
        <source>Where llm nodes send their calls</source>
        <translation>Dokąd węzły llm wysyłają wywołania</translation>
    </message>
    <message>
        <source>SIMULATED</source>
        <translation>SYMULACJA</translation>
    </message>
    <message>
        <source>Answers come from flowbench-sim, not from a real model</source>
        <translation>Odpowiedzi pochodzą z flowbench-sim, nie z prawdziwego modelu</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Anuluj</translation>
    </message>
    <message>
        <source>Cancel the run (Esc)</source>
        <translation>Anuluj uruchomienie (Esc)</translation>
    </message>
    <message>
        <source>Run ▶</source>
        <translation>Uruchom ▶</translation>
    </message>
    <message>
        <source>Run the flow on these inputs (Ctrl+Return)</source>
        <translation>Uruchom przepływ na tych wejściach (Ctrl+Enter)</translation>
    </message>
    <message>
        <source>Output</source>
        <translation>Wynik</translation>
    </message>
    <message>
        <source>{&quot;question&quot;: &quot;…&quot;}</source>
        <translation>{&quot;question&quot;: &quot;…&quot;}</translation>
    </message>
    <message>
        <source>Row %1: %2</source>
        <translation>Wiersz %1: %2</translation>
    </message>
    <message>
        <source>No dataset attached — type the inputs</source>
        <translation>Brak dołączonego zbioru danych — wpisz wejścia</translation>
    </message>
    <message>
        <source>The inputs must be a JSON object, e.g. {&quot;question&quot;: &quot;…&quot;}.</source>
        <translation>Wejścia muszą być obiektem JSON, np. {&quot;question&quot;: &quot;…&quot;}.</translation>
    </message>
    <message>
        <source>Open a flow first.</source>
        <translation>Najpierw otwórz przepływ.</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>Uruchamianie…</translation>
    </message>
    <message>
        <source>Running %1…</source>
        <translation>Uruchamianie %1…</translation>
    </message>
    <message>
        <source>cancelled before it started</source>
        <translation>anulowano przed rozpoczęciem</translation>
    </message>
    <message>
        <source>Starting the simulator…</source>
        <translation>Uruchamianie symulatora…</translation>
    </message>
    <message>
        <source>Running…</source>
        <translation>Trwa uruchamianie…</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>Anulowanie…</translation>
    </message>
    <message>
        <source>Completed in %1 ms</source>
        <translation>Ukończono w %1 ms</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Anulowano</translation>
    </message>
    <message>
        <source>Failed: %1</source>
        <translation>Niepowodzenie: %1</translation>
    </message>
    <message>
        <source>simulated</source>
        <translation>symulacja</translation>
    </message>
    <message>
        <source>Flow outputs:</source>
        <translation>Wyjścia przepływu:</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>Błąd</translation>
    </message>
    <message>
        <source>Messages</source>
        <translation>Wiadomości</translation>
    </message>
    <message>
        <source>Rendered prompt</source>
        <translation>Wyrenderowany prompt</translation>
    </message>
    <message>
        <source>Model call</source>
        <translation>Wywołanie modelu</translation>
    </message>
    <message>
        <source>model %1 · TTFT %2 ms · TPOT %3 ms · latency %4 ms · tokens %5 → %6%7 · attempts %8</source>
        <translation>model %1 · TTFT %2 ms · TPOT %3 ms · opóźnienie %4 ms · tokeny %5 → %6%7 · próby %8</translation>
    </message>
    <message>
        <source> (estimated)</source>
        <translation> (szacunkowo)</translation>
    </message>
    <message>
        <source>Inputs</source>
        <translation>Wejścia</translation>
    </message>
    <message>
        <source>Log</source>
        <translation>Dziennik</translation>
    </message>
    <message>
        <source>Prices: %1</source>
        <translation>Ceny: %1</translation>
    </message>
    <message>
        <source>Edited inputs</source>
        <translation>Wejścia edytowane ręcznie</translation>
    </message>
    <message>
        <source>SIMULATED answer (flowbench-sim)</source>
        <translation>Odpowiedź SYMULOWANA (flowbench-sim)</translation>
    </message>
    <message>
        <source>Answered by flowbench-sim at %1, not by a real model</source>
        <translation>Odpowiedział flowbench-sim pod adresem %1, a nie prawdziwy model</translation>
    </message>
    <message>
        <source>Answered by %1</source>
        <translation>Odpowiedź z: %1</translation>
    </message>
    <message>
        <source>No workspace is open, so the connection %1 is unknown. Open a workspace (File ▸ Open Workspace) and add it in Initialize ▸ Connections, or choose Simulator.</source>
        <translation>Nie otwarto obszaru roboczego, więc połączenie %1 jest nieznane. Otwórz obszar roboczy (Plik ▸ Otwórz obszar roboczy) i dodaj je w Inicjuj ▸ Połączenia albo wybierz Symulator.</translation>
    </message>
    <message>
        <source>The flow uses the connection %1, which this workspace does not have. Add it in Initialize ▸ Connections, or choose Simulator.</source>
        <translation>Przepływ używa połączenia %1, którego nie ma w tym obszarze roboczym. Dodaj je w Inicjuj ▸ Połączenia albo wybierz Symulator.</translation>
    </message>
    <message>
        <source>The whole message is in the trace detail.</source>
        <translation>Pełny komunikat jest w szczegółach śladu.</translation>
    </message>
    <message>
        <source>Answered by</source>
        <translation>Odpowiedział</translation>
    </message>
</context>
<context>
    <name>fb::ui::RunResultsModel</name>
    <message>
        <source>There is no experiment store at %1.</source>
        <translation>Brak magazynu eksperymentów w %1.</translation>
    </message>
    <message>
        <source>Sorting by text needs every line&apos;s text: runs of more than %L1 lines sort by line, status, scores, latency, tokens and cost.</source>
        <translation>Sortowanie po tekście wymaga tekstu każdego wiersza: przebiegi dłuższe niż %L1 wierszy sortują się po numerze, stanie, wynikach, opóźnieniu, tokenach i koszcie.</translation>
    </message>
    <message>
        <source>Completed</source>
        <translation>Ukończony</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Nieudany</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Anulowany</translation>
    </message>
    <message>
        <source>Other</source>
        <translation>Inny</translation>
    </message>
    <message>
        <source>Flow input “%1”</source>
        <translation>Wejście przepływu „%1”</translation>
    </message>
    <message>
        <source>Flow output “%1”</source>
        <translation>Wyjście przepływu „%1”</translation>
    </message>
    <message>
        <source>Score of the evaluator “%1”</source>
        <translation>Wynik ewaluatora „%1”</translation>
    </message>
    <message>
        <source>Time the line took, from its start to its last node&apos;s end</source>
        <translation>Czas wiersza, od startu do końca jego ostatniego węzła</translation>
    </message>
    <message>
        <source>Prompt and completion tokens of the line&apos;s model calls</source>
        <translation>Tokeny promptu i odpowiedzi wywołań modelu w wierszu</translation>
    </message>
    <message>
        <source>Line</source>
        <translation>Wiersz</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Stan</translation>
    </message>
    <message>
        <source>Latency</source>
        <translation>Opóźnienie</translation>
    </message>
    <message>
        <source>Tokens</source>
        <translation>Tokeny</translation>
    </message>
    <message>
        <source>Cost</source>
        <translation>Koszt</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>Błąd</translation>
    </message>
</context>
<context>
    <name>fb::ui::RunResultsView</name>
    <message>
        <source>Line %1 could not be read: %2</source>
        <translation>Nie udało się odczytać wiersza %1: %2</translation>
    </message>
    <message>
        <source>&amp;Show:</source>
        <translation>&amp;Pokaż:</translation>
    </message>
    <message>
        <source>&amp;Threshold:</source>
        <translation>&amp;Próg:</translation>
    </message>
    <message>
        <source>A line passes an evaluator when its score is at least this</source>
        <translation>Wiersz przechodzi ewaluator, gdy jego wynik jest co najmniej taki</translation>
    </message>
    <message>
        <source>Double-click a line, or press Enter on it, to see its nodes.</source>
        <translation>Kliknij dwukrotnie wiersz lub naciśnij na nim Enter, aby zobaczyć jego węzły.</translation>
    </message>
    <message>
        <source>All lines</source>
        <translation>Wszystkie wiersze</translation>
    </message>
    <message>
        <source>Failed only</source>
        <translation>Tylko nieudane</translation>
    </message>
    <message>
        <source>%1: passed (≥ threshold)</source>
        <translation>%1: zaliczone (≥ próg)</translation>
    </message>
    <message>
        <source>%1: not passed (&lt; threshold)</source>
        <translation>%1: niezaliczone (&lt; próg)</translation>
    </message>
    <message>
        <source>Could not read the run: %1</source>
        <translation>Nie udało się odczytać przebiegu: %1</translation>
    </message>
    <message>
        <source>Loading the run&apos;s lines…</source>
        <translation>Wczytywanie wierszy przebiegu…</translation>
    </message>
    <message numerus="yes">
        <source>%Ln lines</source>
        <translation>
            <numerusform>%Ln wiersz</numerusform>
            <numerusform>%Ln wiersze</numerusform>
            <numerusform>%Ln wierszy</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%Ln failed</source>
        <translation>
            <numerusform>%Ln nieudany</numerusform>
            <numerusform>%Ln nieudane</numerusform>
            <numerusform>%Ln nieudanych</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 · %2 · sorting…</source>
        <translation>%1 · %2 · sortowanie…</translation>
    </message>
    <message>
        <source>%1 · %2 · filtering…</source>
        <translation>%1 · %2 · filtrowanie…</translation>
    </message>
    <message numerus="yes">
        <source>%Ln shown</source>
        <translation>
            <numerusform>%Ln widoczny</numerusform>
            <numerusform>%Ln widoczne</numerusform>
            <numerusform>%Ln widocznych</numerusform>
        </translation>
    </message>
    <message>
        <source>%1 of %2 · %3</source>
        <translation>%1 z %2 · %3</translation>
    </message>
    <message>
        <source>%1 · %2</source>
        <translation>%1 · %2</translation>
    </message>
    <message>
        <source>Reading line %1…</source>
        <translation>Odczyt wiersza %1…</translation>
    </message>
    <message>
        <source>Line %1 · %2</source>
        <translation>Wiersz %1 · %2</translation>
    </message>
    <message>
        <source>Error: %1</source>
        <translation>Błąd: %1</translation>
    </message>
    <message>
        <source>Inputs:</source>
        <translation>Wejścia:</translation>
    </message>
    <message>
        <source>Outputs:</source>
        <translation>Wyjścia:</translation>
    </message>
    <message>
        <source>Scores:</source>
        <translation>Wyniki:</translation>
    </message>
    <message>
        <source>none</source>
        <translation>brak</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>%1: %2 (passed)</source>
        <translation>%1: %2 (zaliczone)</translation>
    </message>
    <message>
        <source>%1: %2 (not passed)</source>
        <translation>%1: %2 (niezaliczone)</translation>
    </message>
    <message>
        <source>LLM calls:</source>
        <translation>Wywołania LLM:</translation>
    </message>
    <message>
        <source>%1 · %2 · %3 → %4 tokens · %5 ms · HTTP %6</source>
        <translation>%1 · %2 · %3 → %4 tokenów · %5 ms · HTTP %6</translation>
    </message>
</context>
<context>
    <name>fb::ui::RunsModel</name>
    <message>
        <source>Not started</source>
        <translation>Nie uruchomiono</translation>
    </message>
    <message>
        <source>Running</source>
        <translation>Trwa</translation>
    </message>
    <message>
        <source>Completed</source>
        <translation>Ukończony</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Nieudany</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Anulowany</translation>
    </message>
    <message>
        <source>default</source>
        <translation>domyślny</translation>
    </message>
    <message>
        <source>%1 / %2</source>
        <translation>%1 / %2</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>Przebieg</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Stan</translation>
    </message>
    <message>
        <source>Variants</source>
        <translation>Warianty</translation>
    </message>
    <message>
        <source>Lines</source>
        <translation>Wiersze</translation>
    </message>
    <message>
        <source>Metrics</source>
        <translation>Metryki</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>Utworzono</translation>
    </message>
    <message>
        <source>Failed</source>
        <comment>lines</comment>
        <translation>Nieudane</translation>
    </message>
</context>
<context>
    <name>fb::ui::SecretStore</name>
    <message>
        <source>FLOWBENCH_SECRET_STORE=file</source>
        <translation>FLOWBENCH_SECRET_STORE=file</translation>
    </message>
    <message>
        <source>Secrets are kept in the system keychain.</source>
        <translation>Sekrety są przechowywane w systemowym pęku kluczy.</translation>
    </message>
    <message>
        <source>Not encrypted — no keychain service found. Secrets are kept in %1, readable only by you.</source>
        <translation>Bez szyfrowania — nie znaleziono usługi pęku kluczy. Sekrety są przechowywane w %1, czytelnym tylko dla Ciebie.</translation>
    </message>
    <message>
        <source>Cannot write %1: %2</source>
        <translation>Nie można zapisać %1: %2</translation>
    </message>
    <message>
        <source>Cannot replace %1.</source>
        <translation>Nie można zastąpić %1.</translation>
    </message>
    <message>
        <source>Looking for a keychain service for secrets…</source>
        <translation>Szukam usługi pęku kluczy dla sekretów…</translation>
    </message>
</context>
<context>
    <name>fb::ui::SetNodeCommand</name>
    <message>
        <source>Edit %1</source>
        <translation>Edytuj %1</translation>
    </message>
    <message>
        <source>Edit %1 of %2</source>
        <translation>Edytuj %1 węzła %2</translation>
    </message>
</context>
<context>
    <name>fb::ui::SettingsDialog</name>
    <message>
        <source>Settings</source>
        <translation>Ustawienia</translation>
    </message>
    <message>
        <source>Follow the system</source>
        <translation>Zgodnie z systemem</translation>
    </message>
    <message>
        <source>Follow the desktop</source>
        <translation>Zgodnie z pulpitem</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>Jasny</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>Ciemny</translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation>&amp;Język:</translation>
    </message>
    <message>
        <source>&amp;Theme:</source>
        <translation>&amp;Motyw:</translation>
    </message>
    <message>
        <source>Changes apply at once and are remembered.</source>
        <translation>Zmiany są stosowane od razu i zapamiętywane.</translation>
    </message>
</context>
<context>
    <name>fb::ui::TemplateEditCommand</name>
    <message>
        <source>Edit %1</source>
        <translation>Edycja %1</translation>
    </message>
</context>
<context>
    <name>fb::ui::TraceModel</name>
    <message>
        <source>Waiting</source>
        <translation>Oczekuje</translation>
    </message>
    <message>
        <source>Running</source>
        <translation>Działa</translation>
    </message>
    <message>
        <source>Completed</source>
        <translation>Ukończono</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Niepowodzenie</translation>
    </message>
    <message>
        <source>Bypassed</source>
        <translation>Pominięto</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Anulowano</translation>
    </message>
    <message>
        <source>Node</source>
        <translation>Węzeł</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Stan</translation>
    </message>
    <message>
        <source>Variant</source>
        <translation>Wariant</translation>
    </message>
    <message>
        <source>Latency</source>
        <translation>Czas</translation>
    </message>
    <message>
        <source>TTFT</source>
        <translation>TTFT</translation>
    </message>
    <message>
        <source>TPOT</source>
        <translation>TPOT</translation>
    </message>
    <message>
        <source>Retries</source>
        <translation>Ponow.</translation>
    </message>
    <message>
        <source>Output</source>
        <translation>Wynik</translation>
    </message>
    <message>
        <source>Cost</source>
        <translation>Koszt</translation>
    </message>
    <message>
        <source>$0 (sim.)</source>
        <translation>0 $ (sym.)</translation>
    </message>
    <message>
        <source>Time to first token</source>
        <translation>Czas do pierwszego tokenu</translation>
    </message>
    <message>
        <source>Time per output token after the first</source>
        <translation>Czas na każdy kolejny token wyjścia</translation>
    </message>
    <message>
        <source>Prompt tokens → completion tokens</source>
        <translation>Tokeny promptu → tokeny odpowiedzi</translation>
    </message>
    <message>
        <source>Attempts after the first (429, 5xx, timeouts)</source>
        <translation>Próby po pierwszej (429, 5xx, przekroczenia czasu)</translation>
    </message>
    <message>
        <source>Tokens</source>
        <translation>Tokeny</translation>
    </message>
</context>
<context>
    <name>fb::ui::VariantCommand</name>
    <message>
        <source>There is no node named %1.</source>
        <translation>Nie ma węzła o nazwie %1.</translation>
    </message>
    <message>
        <source>New variant of %1</source>
        <translation>Nowy wariant %1</translation>
    </message>
    <message>
        <source>Only llm and prompt nodes have variants.</source>
        <translation>Tylko węzły llm i prompt mają warianty.</translation>
    </message>
    <message>
        <source>Node %1 has no variant %2.</source>
        <translation>Węzeł %1 nie ma wariantu %2.</translation>
    </message>
    <message>
        <source>Rename variant %1 to %2</source>
        <translation>Zmień nazwę wariantu %1 na %2</translation>
    </message>
    <message>
        <source>Node %1 has no variants.</source>
        <translation>Węzeł %1 nie ma wariantów.</translation>
    </message>
    <message>
        <source>A variant name uses letters, digits and underscores only.</source>
        <translation>Nazwa wariantu może zawierać tylko litery, cyfry i podkreślenia.</translation>
    </message>
    <message>
        <source>Node %1 already has a variant %2.</source>
        <translation>Węzeł %1 ma już wariant %2.</translation>
    </message>
    <message>
        <source>Describe variant %1</source>
        <translation>Opisz wariant %1</translation>
    </message>
    <message>
        <source>Make %1 the default variant of %2</source>
        <translation>Ustaw %1 jako domyślny wariant %2</translation>
    </message>
    <message>
        <source>Delete variant %1</source>
        <translation>Usuń wariant %1</translation>
    </message>
    <message>
        <source>The last variant of a node cannot be deleted.</source>
        <translation>Nie można usunąć ostatniego wariantu węzła.</translation>
    </message>
</context>
<context>
    <name>fb::ui::VariantDiffDialog</name>
    <message>
        <source>Compare variants of %1</source>
        <translation>Porównaj warianty %1</translation>
    </message>
    <message numerus="yes">
        <source>%n line(s) differ.</source>
        <translation>
            <numerusform>%n wiersz się różni.</numerusform>
            <numerusform>%n wiersze się różnią.</numerusform>
            <numerusform>%n wierszy się różni.</numerusform>
        </translation>
    </message>
</context>
<context>
    <name>fb::ui::VariantTabBar</name>
    <message>
        <source>Variants:</source>
        <translation>Warianty:</translation>
    </message>
    <message>
        <source>New variant from the current one</source>
        <translation>Nowy wariant na podstawie bieżącego</translation>
    </message>
    <message>
        <source>Variant</source>
        <translation>Wariant</translation>
    </message>
    <message>
        <source>Rename…</source>
        <translation>Zmień nazwę…</translation>
    </message>
    <message>
        <source>Describe…</source>
        <translation>Opisz…</translation>
    </message>
    <message>
        <source>Make default</source>
        <translation>Ustaw jako domyślny</translation>
    </message>
    <message>
        <source>Compare…</source>
        <translation>Porównaj…</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Usuń</translation>
    </message>
    <message>
        <source>%1 (default)</source>
        <translation>%1 (domyślny)</translation>
    </message>
    <message>
        <source>single variant</source>
        <translation>jeden wariant</translation>
    </message>
    <message>
        <source>Press + to create a second variant of this node.</source>
        <translation>Naciśnij +, aby utworzyć drugi wariant tego węzła.</translation>
    </message>
    <message>
        <source>Variants</source>
        <translation>Warianty</translation>
    </message>
    <message>
        <source>Rename variant</source>
        <translation>Zmień nazwę wariantu</translation>
    </message>
    <message>
        <source>New name:</source>
        <translation>Nowa nazwa:</translation>
    </message>
    <message>
        <source>Describe %1</source>
        <translation>Opisz %1</translation>
    </message>
    <message>
        <source>What this variant tries, and what you learned from it.</source>
        <translation>Co sprawdza ten wariant i czego się z niego dowiedziałeś.</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>Opis</translation>
    </message>
    <message>
        <source>Notes</source>
        <translation>Notatki</translation>
    </message>
</context>
<context>
    <name>fb::ui::Workspace</name>
    <message>
        <source>Cannot create the workspace folder %1.</source>
        <translation>Nie można utworzyć folderu obszaru roboczego %1.</translation>
    </message>
</context>
</TS>
