<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ko_KR">
<context>
    <name>QObject</name>
    <message>
        <location filename="../side_by_side.cpp" line="+37"/>
        <source>L4 only</source>
        <translation>L4 단독</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>L4 + L7</source>
        <translation>L4 + L7</translation>
    </message>
    <message>
        <location filename="../lesson_export.cpp" line="+75"/>
        <source>node</source>
        <translation>노드</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>layer</source>
        <translation>계층</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>message</source>
        <translation>메시지</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>reads</source>
        <translation>읽는 필드</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>rewrites</source>
        <translation>바꾸는 필드</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>notes</source>
        <translation>노트</translation>
    </message>
</context>
<context>
    <name>lbsim::gui::LiveCharts</name>
    <message>
        <location filename="../live_charts.cpp" line="+26"/>
        <source>simulated time (s)</source>
        <translation>시뮬레이션 시간 (초)</translation>
    </message>
    <message>
        <location line="+63"/>
        <source>Latency</source>
        <translation>지연 시간</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>ms</source>
        <translation>ms</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>p50</source>
        <translation>p50</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>p99</source>
        <translation>p99</translation>
    </message>
    <message>
        <location line="+65"/>
        <source>lost</source>
        <translation>유실</translation>
    </message>
    <message>
        <location line="-63"/>
        <source>Errors by kind</source>
        <translation>유형별 오류</translation>
    </message>
    <message>
        <location line="-1"/>
        <location line="+1"/>
        <source>per second</source>
        <translation>초당 건수</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>Successful answers per entry zone</source>
        <translation>진입 영역별 성공 응답</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>zone %1</source>
        <translation>영역 %1</translation>
    </message>
    <message>
        <location line="+41"/>
        <source>connection reset</source>
        <translation>연결 리셋</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>client timeout</source>
        <translation>클라이언트 타임아웃</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>unanswered</source>
        <translation>응답 없음</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>HTTP %1</source>
        <translation>HTTP %1</translation>
    </message>
</context>
<context>
    <name>lbsim::gui::MainWindow</name>
    <message>
        <location filename="../main_window.cpp" line="+105"/>
        <source>lbsim</source>
        <translation>lbsim</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+4"/>
        <source>Run</source>
        <translation>실행</translation>
    </message>
    <message>
        <location line="-2"/>
        <source>Open…</source>
        <translation>열기…</translation>
    </message>
    <message>
        <location line="+317"/>
        <source>Open a scenario</source>
        <translation>시나리오 열기</translation>
    </message>
    <message>
        <location line="-61"/>
        <location line="+61"/>
        <source>Scenarios (*.yaml)</source>
        <translation>시나리오 (*.yaml)</translation>
    </message>
    <message>
        <location line="-314"/>
        <source>Pause</source>
        <translation>일시 정지</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Resume</source>
        <translation>재개</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Stop</source>
        <translation>중지</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>as fast as possible</source>
        <translation>최대 속도</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>real time</source>
        <translation>실시간</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>10 × real time</source>
        <translation>실시간 × 10</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Follow a request</source>
        <translation>요청 따라가기</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Side by side</source>
        <translation>나란히 비교</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>cannot trace: %1</source>
        <translation>추적할 수 없음: %1</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>cannot read the capture: %1</source>
        <translation>캡처를 읽을 수 없음: %1</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>Live run</source>
        <translation>라이브 실행</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Follow a request (OSI layers)</source>
        <translation>요청 따라가기 (OSI 계층)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>the next run uses seed %1</source>
        <translation>다음 실행은 시드 %1을 씁니다</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>the next run uses the file&apos;s seed</source>
        <translation>다음 실행은 파일의 시드를 씁니다</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Parameters</source>
        <translation>파라미터</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>About this scenario</source>
        <translation>시나리오 소개</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>open a scenario</source>
        <translation>시나리오를 여세요</translation>
    </message>
    <message>
        <location line="+180"/>
        <source>&amp;File</source>
        <translation>파일(&amp;F)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>&amp;Open…</source>
        <translation>열기(&amp;O)…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Open &amp;recent</source>
        <translation>최근 파일 열기(&amp;R)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Save as…</source>
        <translation>다른 이름으로 저장(&amp;S)…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Save the scenario as</source>
        <translation>시나리오를 다른 이름으로 저장</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>Export the L7 tier as &amp;HAProxy configuration…</source>
        <translation>L7 티어를 &amp;HAProxy 설정으로 내보내기…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Export the L7 tier as &amp;nginx configuration…</source>
        <translation>L7 티어를 &amp;nginx 설정으로 내보내기…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Export into the folder</source>
        <translation>내보낼 폴더</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>Open a packet &amp;capture…</source>
        <translation>패킷 캡처 열기(&amp;C)…</translation>
    </message>
    <message>
        <location line="-14"/>
        <source>Export the view as a &amp;picture (PNG, SVG)…</source>
        <translation>지금 화면을 그림으로 내보내기(&amp;P) (PNG, SVG)…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Export the view as a picture</source>
        <translation>지금 화면을 그림으로 내보내기</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>PNG picture (*.png);;SVG drawing (*.svg)</source>
        <translation>PNG 그림 (*.png);;SVG 도면 (*.svg)</translation>
    </message>
    <message>
        <location line="-79"/>
        <location line="+19"/>
        <location line="+10"/>
        <location line="+11"/>
        <location line="+10"/>
        <source>error: %1</source>
        <translation>오류: %1</translation>
    </message>
    <message>
        <location line="-28"/>
        <location line="+21"/>
        <location line="+10"/>
        <source>wrote %1</source>
        <translation>%1에 저장했습니다</translation>
    </message>
    <message>
        <location line="+50"/>
        <source>&amp;Presenter mode</source>
        <translation>발표자 모드(&amp;P)</translation>
    </message>
    <message>
        <location line="-274"/>
        <source>Quiz</source>
        <translation>퀴즈</translation>
    </message>
    <message>
        <location line="+117"/>
        <source>no quiz: %1</source>
        <translation>퀴즈 없음: %1</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>the quiz could not be made</source>
        <translation>퀴즈를 만들 수 없습니다</translation>
    </message>
    <message>
        <location line="+136"/>
        <source>Export the lesson as &amp;slides (HTML)…</source>
        <translation>레슨을 슬라이드로 내보내기(&amp;S) (HTML)…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Export the lesson as slides</source>
        <translation>레슨을 슬라이드로 내보내기</translation>
    </message>
    <message>
        <location line="+0"/>
        <location line="+4"/>
        <source>HTML (*.html)</source>
        <translation>HTML (*.html)</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>Export a &amp;handout of the traced request (HTML)…</source>
        <translation>추적한 요청의 유인물 내보내기(&amp;H) (HTML)…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Export a handout</source>
        <translation>유인물 내보내기</translation>
    </message>
    <message>
        <location line="-87"/>
        <location line="+29"/>
        <source>the request could not be traced</source>
        <translation>요청을 추적할 수 없습니다</translation>
    </message>
    <message>
        <location line="-209"/>
        <source>slow: requests travelling (1/50 × real time)</source>
        <translation>느리게: 요청이 지나가는 모습 (실제 시간의 1/50)</translation>
    </message>
    <message>
        <location line="+190"/>
        <source>The layout</source>
        <translation>구성</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Hop %1 of %2</source>
        <translation>홉 %1 / %2</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>The run</source>
        <translation>실행 결과</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+21"/>
        <source>cannot write %1</source>
        <translation>%1에 쓸 수 없습니다</translation>
    </message>
    <message>
        <location line="-2"/>
        <source>%1: request %2, hop by hop</source>
        <translation>%1: 요청 %2, 홉 단위</translation>
    </message>
    <message>
        <location line="+54"/>
        <source>Open a packet capture</source>
        <translation>패킷 캡처 열기</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Packet captures (*.pcap *.cap);;All files (*)</source>
        <translation>패킷 캡처 (*.pcap *.cap);;모든 파일 (*)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>&amp;Quit</source>
        <translation>종료(&amp;Q)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;Scenarios</source>
        <translation>시나리오(&amp;S)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>&amp;View</source>
        <translation>보기(&amp;V)</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>&amp;Language</source>
        <translation>언어(&amp;L)</translation>
    </message>
    <message>
        <location line="+60"/>
        <source>About %1</source>
        <translation>%1 소개</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>lbsim — %1</source>
        <translation>lbsim — %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1: %2 nodes in %3 zones, %4</source>
        <translation>%1: 영역 %3개, 노드 %2개, %4</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>L4 + L7</source>
        <translation>L4 + L7</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>L4 only</source>
        <translation>L4 단독</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>cannot open: %1</source>
        <translation>열 수 없음: %1</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>as the file is written</source>
        <translation>파일에 적힌 그대로</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>edited: %1</source>
        <translation>변경됨: %1</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>these parameters do not make a valid scenario: %1</source>
        <translation>이 파라미터로는 유효한 시나리오가 되지 않음: %1</translation>
    </message>
    <message>
        <location line="+12"/>
        <source># Saved by lbsim-gui from %1</source>
        <translation># lbsim-gui가 %1에서 저장함</translation>
    </message>
    <message>
        <location line="+1"/>
        <source> with %1</source>
        <translation> (변경: %1)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source># Files it names are relative to %1.
</source>
        <translation># 이 파일이 가리키는 파일들은 %1 기준 상대 경로입니다.
</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>cannot save: %1</source>
        <translation>저장할 수 없음: %1</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>an L4-only layout has no L7 tier to export</source>
        <translation>L4만 있는 구성에는 내보낼 L7 티어가 없습니다</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>cannot export: %1</source>
        <translation>내보낼 수 없습니다: %1</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>exported the L7 tier as %1 configuration into %2; %3 keys approximated or dropped (export-report.txt)</source>
        <translation>L7 티어를 %1 설정으로 %2에 내보냈습니다. 근사하거나 뺀 키 %3개(export-report.txt)</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>running %1…</source>
        <translation>%1 실행 중…</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>side by side needs a file with variants, or an L7 tier to compare with L4 only</source>
        <translation>나란히 비교하려면 변형(variant)이 있는 파일이나, L4 단독과 비교할 L7 티어가 있어야 합니다</translation>
    </message>
</context>
<context>
    <name>lbsim::gui::OsiStack</name>
    <message>
        <location filename="../trace_view.cpp" line="+116"/>
        <source>rewrites %1</source>
        <translation>%1 변경</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>reads</source>
        <translation>읽음</translation>
    </message>
</context>
<context>
    <name>lbsim::gui::ParameterPanel</name>
    <message>
        <location filename="../parameter_panel.cpp" line="+57"/>
        <source> req/s</source>
        <translation> req/s</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>DNAT (replies return through L4)</source>
        <translation>DNAT (응답이 L4를 거쳐 돌아옴)</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>DSR (replies bypass L4)</source>
        <translation>DSR (응답이 L4를 거치지 않음)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>balance across zones</source>
        <translation>영역 간 분산</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>Client rate</source>
        <translation>클라이언트 요청률</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>L4 forwarding</source>
        <translation>L4 전달 방식</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>L4 algorithm</source>
        <translation>L4 분산 알고리즘</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>L4 cross-zone</source>
        <translation>L4 cross-zone</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>L4 nodes per zone</source>
        <translation>영역당 L4 노드</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>L7 algorithm</source>
        <translation>L7 분산 알고리즘</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>L7 nodes per zone</source>
        <translation>영역당 L7 노드</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Seed</source>
        <translation>시드</translation>
    </message>
    <message>
        <location line="+46"/>
        <source>The first client population&apos;s arrivals do not follow one rate: edit them in the file.</source>
        <translation>첫 번째 클라이언트 그룹의 도착률이 일정하지 않습니다: 파일에서 직접 수정하세요.</translation>
    </message>
</context>
<context>
    <name>lbsim::gui::QuizDialog</name>
    <message>
        <location filename="../quiz_dialog.cpp" line="+18"/>
        <source>Quiz</source>
        <translation>퀴즈</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Check</source>
        <translation>확인</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+105"/>
        <source>Next</source>
        <translation>다음</translation>
    </message>
    <message>
        <location line="-17"/>
        <source>Close</source>
        <translation>닫기</translation>
    </message>
    <message>
        <location line="-2"/>
        <source>Done: %1 of %2 right on the first try.</source>
        <translation>끝: %2문제 중 %1문제를 한 번에 맞혔다.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>Question %1 of %2</source>
        <translation>%2문제 중 %1번째</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>Click the node on the layout in the teaching tab.</source>
        <translation>요청 따라가기 탭의 레이아웃에서 노드를 클릭하자.</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Click the header fields on the packet, then Check.</source>
        <translation>패킷에서 헤더 필드를 클릭한 뒤 확인을 누르자.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>Right. %1</source>
        <translation>맞다. %1</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Not quite: the answer is %1. %2</source>
        <translation>아쉽다. 답은 %1. %2</translation>
    </message>
</context>
<context>
    <name>lbsim::gui::RunClient</name>
    <message>
        <location filename="../run_client.cpp" line="+16"/>
        <source>cannot start %1: %2</source>
        <translation>%1을(를) 시작할 수 없음: %2</translation>
    </message>
    <message>
        <location line="+57"/>
        <source>the simulation crashed</source>
        <translation>시뮬레이션이 비정상 종료됨</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>the simulation stopped (exit %1)</source>
        <translation>시뮬레이션이 멈춤 (종료 코드 %1)</translation>
    </message>
</context>
<context>
    <name>lbsim::gui::RunPanel</name>
    <message>
        <location filename="../run_panel.cpp" line="+64"/>
        <source>finished: %1 requests, p50 %2 ms, p99 %3 ms</source>
        <translation>완료: 요청 %1개, p50 %2 ms, p99 %3 ms</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>error: %1</source>
        <translation>오류: %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>stopped</source>
        <translation>중지됨</translation>
    </message>
    <message>
        <location line="+43"/>
        <source>t = %1 s</source>
        <translation>t = %1초</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>fault rejected: %1</source>
        <translation>장애 주입 거부됨: %1</translation>
    </message>
    <message>
        <location line="+101"/>
        <source>Crash %1 %2</source>
        <translation>%1 크래시 (%2)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Slow %1 down ×10 %2</source>
        <translation>%1 10배 느리게 (%2)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Lose %1 %2</source>
        <translation>%1 노드 상실 (%2)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>Zone %1 outage %2</source>
        <translation>영역 %1 장애 (%2)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Zonal shift away from %1 %2</source>
        <translation>영역 %1에서 트래픽 빼기 (zonal shift, %2)</translation>
    </message>
    <message>
        <location line="-10"/>
        <source>for %1</source>
        <translation>%1</translation>
    </message>
    <message>
        <location line="-14"/>
        <source>until the end</source>
        <translation>끝까지</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 min</source>
        <translation>%1분</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>%1 s</source>
        <translation>%1초</translation>
    </message>
    <message>
        <location line="+58"/>
        <source>Faults last: %1</source>
        <translation>장애 지속 시간: %1</translation>
    </message>
    <message>
        <location line="-23"/>
        <source>Recover now from %1</source>
        <translation>지금 %1 복구</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>(run the scenario first: faults go to a running simulation)</source>
        <translation>(먼저 시나리오를 실행하세요: 장애는 실행 중인 시뮬레이션에 주입됩니다)</translation>
    </message>
</context>
<context>
    <name>lbsim::gui::SideBySideWindow</name>
    <message>
        <location filename="../side_by_side.cpp" line="+5"/>
        <source>lbsim — side by side: %1 vs %2</source>
        <translation>lbsim — 나란히 비교: %1 대 %2</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>Run both</source>
        <translation>둘 다 실행</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Stop</source>
        <translation>중지</translation>
    </message>
    <message>
        <location line="+25"/>
        <source>cannot load: %1</source>
        <translation>불러올 수 없음: %1</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>metric</source>
        <translation>지표</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>requests sent</source>
        <translation>보낸 요청</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>requests completed</source>
        <translation>완료된 요청</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>requests failed</source>
        <translation>실패한 요청</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>throughput</source>
        <translation>처리량</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>latency p50</source>
        <translation>지연 시간 p50</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>latency p90</source>
        <translation>지연 시간 p90</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>latency p99</source>
        <translation>지연 시간 p99</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>latency p99.9</source>
        <translation>지연 시간 p99.9</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>latency mean</source>
        <translation>지연 시간 평균</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>utilization l4</source>
        <translation>L4 티어 사용률</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>utilization l7</source>
        <translation>L7 티어 사용률</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>utilization backend</source>
        <translation>백엔드 사용률</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>busiest l4 node</source>
        <translation>가장 바쁜 L4 노드</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>busiest l7 node</source>
        <translation>가장 바쁜 L7 노드</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>busiest backend node</source>
        <translation>가장 바쁜 백엔드</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>busiest target group</source>
        <translation>가장 바쁜 대상 그룹</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>L4 NIC bytes</source>
        <translation>L4 NIC 바이트</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>TLS CPU</source>
        <translation>TLS CPU</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>cross-zone bytes</source>
        <translation>영역 간 바이트</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>objectives (slo)</source>
        <translation>목표 (slo)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>failures %1</source>
        <translation>실패 %1</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1: detect</source>
        <translation>%1: 감지</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>%1: recover</source>
        <translation>%1: 회복</translation>
    </message>
</context>
<context>
    <name>lbsim::gui::TopologyScene</name>
    <message>
        <location filename="../topology_scene.cpp" line="+87"/>
        <source>zone %1</source>
        <translation>영역 %1</translation>
    </message>
    <message>
        <location line="+55"/>
        <source>client</source>
        <translation>클라이언트</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>L4 balancer (reads up to layer 4)</source>
        <translation>L4 로드밸런서 (4계층까지 읽음)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>L7 balancer (reads up to layer 7)</source>
        <translation>L7 로드밸런서 (7계층까지 읽음)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>backend</source>
        <translation>백엔드</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>down (a fault)</source>
        <translation>다운 (장애)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>unhealthy (the checks)</source>
        <translation>비정상 (헬스 체크 판정)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>slow (a fault)</source>
        <translation>느림 (장애)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>draining or shifted away</source>
        <translation>드레이닝 또는 트래픽 제외</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>bar: share busy</source>
        <translation>막대: 사용률</translation>
    </message>
    <message>
        <location line="+59"/>
        <source>%1 (%2): %3 % busy</source>
        <translation>%1 (%2): 사용률 %3 %</translation>
    </message>
</context>
<context>
    <name>lbsim::gui::TraceView</name>
    <message>
        <location filename="../trace_view.cpp" line="-58"/>
        <source>7 Application (HTTP)</source>
        <translation>7 응용 (HTTP)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>6 Presentation (TLS)</source>
        <translation>6 표현 (TLS)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>5 Session</source>
        <translation>5 세션</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>4 Transport (TCP ports)</source>
        <translation>4 전송 (TCP 포트)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>3 Network (IP addresses)</source>
        <translation>3 네트워크 (IP 주소)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>2 Data link (MAC addresses)</source>
        <translation>2 데이터 링크 (MAC 주소)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>1 Physical</source>
        <translation>1 물리</translation>
    </message>
    <message>
        <location line="+62"/>
        <source>request #</source>
        <translation>요청 #</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>Trace</source>
        <translation>추적</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>open a scenario, pick a request and press Trace</source>
        <translation>시나리오를 열고 요청을 고른 뒤 추적을 누르세요</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>Open capture…</source>
        <translation>캡처 열기…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>step through the real frames of a packet capture (lbsim testbed --pcap, lbsim trace --pcap)</source>
        <translation>패킷 캡처의 실제 프레임을 하나씩 살펴봅니다 (lbsim testbed --pcap, lbsim trace --pcap)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>◀</source>
        <translation>◀</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the previous hop or frame</source>
        <translation>이전 홉 또는 프레임</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>▶</source>
        <translation>▶</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>the next hop or frame</source>
        <translation>다음 홉 또는 프레임</translation>
    </message>
    <message>
        <location line="+30"/>
        <location line="+184"/>
        <location line="+80"/>
        <source>field</source>
        <translation>필드</translation>
    </message>
    <message>
        <location line="-264"/>
        <location line="+184"/>
        <source>before this hop</source>
        <translation>이 홉 이전</translation>
    </message>
    <message>
        <location line="-184"/>
        <location line="+184"/>
        <source>after it</source>
        <translation>이 홉 이후</translation>
    </message>
    <message>
        <location line="-156"/>
        <source>cannot trace: cannot start %1</source>
        <translation>추적할 수 없음: %1을(를) 시작할 수 없음</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>cannot start %1</source>
        <translation>%1을(를) 시작할 수 없음</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>pick a request and press Trace</source>
        <translation>요청을 고르고 추적을 누르세요</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>tracing request #%1…</source>
        <translation>요청 #%1 추적 중…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Open a packet capture</source>
        <translation>패킷 캡처 열기</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>Packet captures (*.pcap *.cap);;All files (*)</source>
        <translation>패킷 캡처 (*.pcap *.cap);;모든 파일 (*)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>reading %1…</source>
        <translation>%1 읽는 중…</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>cannot trace: %1</source>
        <translation>추적할 수 없음: %1</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>cannot read the capture: %1</source>
        <translation>캡처를 읽을 수 없음: %1</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>the answer of %1 is not JSON (%2)</source>
        <translation>%1의 응답이 JSON이 아님 (%2)</translation>
    </message>
    <message>
        <location line="+123"/>
        <source>%1: %2 frames%3</source>
        <translation>%1: 프레임 %2개%3</translation>
    </message>
    <message>
        <location line="+3"/>
        <source> (the first of more)</source>
        <translation> (앞부분만)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>%1 — each as %2 received or sent it</source>
        <translation>%1 — 각 프레임은 %2 노드가 받거나 보낸 그대로</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>frame %1 sent on, rewritten: %2</source>
        <translation>프레임 %1을 고쳐 써서 보냄: %2</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>as frame %1 came in</source>
        <translation>프레임 %1로 들어올 때</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>as it left</source>
        <translation>나갈 때</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>this frame</source>
        <translation>이 프레임</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>frame %1 at %2 ms, %3 bytes on the wire</source>
        <translation>프레임 %1: %2 ms, 회선상 %3바이트</translation>
    </message>
    <message>
        <location line="-143"/>
        <source>rewrites %1</source>
        <translation>%1 변경</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>request #%1 from %2: %3 %4%5 → %6 in %7 ms, %8 hops</source>
        <translation>%2의 요청 #%1: %3 %4%5 → %6, %7 ms, 홉 %8개</translation>
    </message>
    <message>
        <location line="+41"/>
        <source>its answer</source>
        <translation>이 노드의 응답</translation>
    </message>
    <message>
        <location line="+5"/>
        <source> (read)</source>
        <translation> (읽음)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>at %1 ms: network %2 ms, queue %3 ms, TLS %4 ms, processing %5 ms</source>
        <translation>%1 ms 시점: 네트워크 %2 ms, 큐 대기 %3 ms, TLS %4 ms, 처리 %5 ms</translation>
    </message>
    <message>
        <location line="-223"/>
        <location line="+320"/>
        <source>Play</source>
        <translation>재생</translation>
    </message>
    <message>
        <location line="-5"/>
        <source>Pause</source>
        <translation>일시 정지</translation>
    </message>
    <message>
        <location line="-314"/>
        <source>step through every hop by itself, the packet travelling each link</source>
        <translation>홉을 하나씩 자동으로 넘기며 패킷이 링크를 따라 움직인다</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>how fast the hops follow each other</source>
        <translation>홉이 넘어가는 빠르기</translation>
    </message>
</context>
</TS>
