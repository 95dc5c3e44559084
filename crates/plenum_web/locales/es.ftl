# La interfaz de Plenum en español. Cada clave debe estar también en en.ftl (un test lo comprueba).

## Layout
skip-to-content = Saltar al contenido
nav-label = Principal
nav-sign-up = Crear cuenta
nav-sign-in = Entrar
nav-sign-out = Salir
footer-public = Cada decisión tomada aquí es pública y se puede verificar sin cuenta.
back-home = Volver a la portada
error-title = Algo no está bien

## Home
home-title = Asambleas de barrio
home-intro = Las asambleas deciden; cualquiera puede leer qué decidieron y comprobar cómo.
home-assemblies = Asambleas
home-no-assemblies = Todavía no hay asambleas.
members-count = { $count ->
    [one] { $count } miembro
   *[other] { $count } miembros
}

## Accounts
signup-title = Crear una cuenta
signup-submit = Crear cuenta
signup-have-account = ¿Ya tienes cuenta? Entra
login-title = Entrar
login-submit = Entrar
login-no-account = ¿Aún no tienes cuenta? Créala
field-login = Nombre de usuario
field-login-hint = De 2 a 64 letras, cifras, puntos, guiones o guiones bajos. Nadie más lo ve.
field-display-name = Nombre visible
field-password = Contraseña
field-password-hint = Al menos 8 caracteres.

## Assembly
body-file-motion = Presentar una moción
body-schedule-meeting = Convocar una reunión
body-join = Unirme a esta asamblea
body-sign-in-to-join = Entra para unirte a esta asamblea
body-request-waiting = Tu solicitud para unirte espera la aprobación de una persona facilitadora.
body-pending = Solicitudes para unirse
body-approve = Aprobar
body-motions = Mociones
body-no-motions = Todavía no hay mociones.
body-meetings = Reuniones
body-no-meetings = Todavía no hay reuniones.
body-calendar = Calendario (iCal)
body-charter = Estatutos
body-members = Miembros
home-create-assembly = Crear una asamblea
body-new-title = Crear una asamblea
body-create = Crear asamblea
field-body-name = Nombre
field-slug = Nombre en la dirección (slug)
field-slug-hint = De 2 a 64 letras minúsculas, cifras y guiones sueltos; la página de la asamblea es /bodies/ y este nombre.
field-membership = Membresía
membership-open = Abierta
membership-approval = Con aprobación de una persona facilitadora
charter-proposed = Los estatutos propuestos (para una reforma de estatutos)
charter-proposed-hint = Solo se leen si la moción es una reforma de estatutos; empiezan como los estatutos actuales.
field-motions-pass = Las mociones se aprueban con
field-amended-by = Los estatutos se reforman con
threshold-more-than = más de
threshold-at-least = al menos
field-share = Parte de los votos emitidos
field-share-hint = Una parte se escribe como fracción, por ejemplo 1/2 o 2/3.
field-quorum = Quórum
field-quorum-hint = Una parte de los miembros como 1/10, un número de miembros como 5, o vacío para no exigir quórum.
role-facilitator = facilitación
charter-open = Cualquiera puede unirse.
charter-approval = Una persona facilitadora aprueba a cada nuevo miembro.
charter-motions-pass = Las mociones se aprueban con
charter-amended-by = Los estatutos se reforman con
quorum-label = Quórum:
quorum-none = Sin quórum.
quorum-of-roll = de los miembros
quorum-of-ballots = contando papeletas emitidas
quorum-of-present = contando miembros presentes
# A decision rule: $share is a fraction ("1/2"); $base picks what it is a share of.
rule-more-than = más de { $share } { $base ->
        [votes-and-abstentions] de los votos emitidos y las abstenciones
        [all-members] de todos los miembros
       *[votes-cast] de los votos emitidos
    }
rule-at-least = al menos { $share } { $base ->
        [votes-and-abstentions] de los votos emitidos y las abstenciones
        [all-members] de todos los miembros
       *[votes-cast] de los votos emitidos
    }
rule-no-quorum = sin quórum: { $taking_part } de { $needed } necesarios

## Motions
motion-new-title = Presentar una moción
motion-file = Presentar moción
motion-moved-by = presentada por
motion-polls = Votaciones
motion-no-polls = Todavía no hay votación.
motion-arguments = Argumentos
motion-no-arguments = Ninguno todavía.
motion-amendments = Enmiendas
motion-no-amendments = No hay enmiendas.
field-kind = Tipo
field-title = Título
field-text = Texto
field-side = Postura
field-argument = Argumento
field-amendment = Nuevo texto
argument-add = Añadir argumento
amendment-propose = Proponer enmienda
amendment-accept = Aceptar
amendment-decline = Rechazar
amendment-proposed = propuesta
amendment-accepted = aceptada
amendment-declined = rechazada
amendment-voting = en votación
amendment-put-to-vote = Someter a votación
amendment-poll-link = La votación de esta enmienda
amendment-vote-hint = «Someter a votación» abre una votación sobre esa enmienda con el secreto y el cierre elegidos en «Someter esta moción a votación», arriba; si se aprueba, la enmienda reemplaza el texto, y si no, queda rechazada.
poll-on-amendment = Votación de una enmienda
side-for = A favor
side-against = En contra
kind-policy = Política
kind-procedural = De procedimiento
kind-charter_amendment = Reforma de estatutos
kind-mandate = Mandato
kind-recall = Revocación
kind-ratification = Ratificación
kind-budget = Presupuesto
kind-election = Elección
status-open = abierta
status-voting = en votación
status-passed = aprobada
status-rejected = rechazada
status-withdrawn = retirada

## Polls
poll-title = Votación
poll-open = abierta
poll-closed = cerrada
poll-awaiting-close = votación terminada, cerrando
poll-open-title = Someter esta moción a votación
poll-open-submit = Abrir votación
field-secrecy = Secreto
secrecy-secret = Secreta
secrecy-open = Pública
field-closes-in = Cierra en (minutos)
field-closes-at = O cierra el (fecha y hora locales)
field-closes-at-hint = Si se indica, tiene prioridad sobre los minutos. Las horas están en la zona horaria de la instancia.
poll-secrecy = Secreto
poll-opens = Abre
poll-closes = Cierra
poll-closed-at = Cerrada el
poll-roll = Miembros en el censo
poll-voted = Han votado en línea
poll-in-person = Recuento presencial
vote-legend = Tu voto
vote-submit = Votar
vote-done = Ya has votado en esta votación.
vote-secret-hint = Es una votación secreta: lo que votas se guarda aparte de tu nombre. No protege frente a la coacción.
choice-yes = Sí
choice-no = No
choice-abstain = Abstención
receipt-title = Tu código de recibo
receipt-keep = Guarda este código. Cuando cierre la votación, úsalo para encontrar tu papeleta entre las publicadas.
receipt-not-coercion-resistant = Quien vea este código podrá saber qué votaste cuando se publiquen las papeletas.
receipt-check-title = Comprobar un recibo
field-receipt = Código de recibo
receipt-check-submit = Comprobar recibo
receipt-found = Tu papeleta está entre las papeletas publicadas.
receipt-choice = Dice
receipt-not-found = Ninguna papeleta publicada tiene este código. Revisa el código; quizá la votación aún no ha cerrado.
in-person-title = Recuento de una reunión
in-person-yes = Votos a favor en la sala
in-person-no = Votos en contra en la sala
in-person-abstain = Abstenciones en la sala
in-person-present = Miembros presentes en la sala
in-person-submit = Registrar recuento
result-title = Resultado
result-passed = Aprobada
result-failed = Rechazada
result-working = Cómo se calculó el resultado
result-online = Papeletas emitidas en línea
result-in-person = Votos emitidos en persona
result-quorum = Quórum (participan / necesarios)
result-met = alcanzado
result-not-met = no alcanzado
result-base = Votos sobre los que se aplica el umbral
result-needed = Votos a favor necesarios
result-margin = Margen
result-rule = Regla
board-title = Papeletas publicadas
board-caption = Todas las papeletas de esta votación secreta, en orden aleatorio
board-receipt = Código de recibo
board-choice = Voto
board-ballot = Id de papeleta
votes-title = Quién votó qué
votes-none = Todavía no hay votos.
votes-member = Miembro

## Meetings
meeting-new-title = Convocar una reunión
meeting-schedule = Convocar reunión
field-starts-at = Empieza (fecha y hora locales)
field-zone-hint = Zona horaria:
field-duration = Duración (minutos)
field-place = Lugar
field-link = Enlace en línea
field-agenda = Orden del día
meeting-when = Cuándo
meeting-where = Dónde
venue-online = En línea
meeting-agenda = Orden del día
meeting-no-agenda = Todavía no hay orden del día.
meeting-attendance = Asistencia
meeting-no-attendance = La asistencia aún no se ha registrado.
meeting-present = Miembros presentes
meeting-guests = Invitados
meeting-record-attendance = Registrar asistencia
meeting-minutes = Acta
meeting-minutes-draft = Borrador: solo la facilitación ve esta acta hasta que se publique.
meeting-no-minutes = Todavía no hay acta publicada.
meeting-save-minutes = Guardar acta
meeting-publish = Publicar acta

## Errors (the codes the API returns)
not_found = Aquí no hay nada. Puede que la dirección esté mal o que eso nunca se creara.
internal = Algo ha fallado en el servidor. Inténtalo de nuevo.
sign_in_needed = Entra primero con tu cuenta.
too_many_requests = Demasiados intentos. Espera unos minutos y vuelve a intentarlo.
csrf_mismatch = Este formulario ha caducado o no viene de este sitio. Recarga la página e inténtalo de nuevo.
login_taken = Ese nombre de usuario ya existe. Elige otro.
wrong_credentials = Nombre de usuario o contraseña incorrectos.
invalid_input = Algo de lo introducido no es válido.
invalid_login = Un nombre de usuario tiene de 2 a 64 letras, cifras, puntos, guiones, guiones bajos o @.
invalid_password = La contraseña debe tener entre 8 y 1000 caracteres.
invalid_choice = Elige Sí, No o Abstención.
invalid_minutes = Indica un número entero de minutos.
invalid_local_time = Indica una fecha y una hora.
local_time_skipped = Esa hora no existe en esta zona horaria: ese día se adelantan los relojes.
venue_missing = Indica un lugar, un enlace o ambos.
body_too_large = Lo enviado es demasiado grande.
malformed_json = No se pudo leer el JSON.
not_json = Envía JSON.
method_not_allowed = Esta dirección no admite ese tipo de petición.
bad_request = No se pudo entender la petición.
invalid_query = Los parámetros de la consulta no son válidos.
already_exists = Esto ya existe.
slug_taken = Ese nombre de dirección ya lo usa otra asamblea.
invalid_slug = Un nombre en la dirección tiene de 2 a 64 letras minúsculas, cifras y guiones sueltos (y no es «new»).
invalid_body_name = Dale un nombre a la asamblea.
invalid_membership = Elige Abierta o Con aprobación de una persona facilitadora.
invalid_share = Una parte es una fracción entre 0 y 1, por ejemplo 1/2 o 2/3.
not_a_member = Solo los miembros de esta asamblea pueden hacer eso.
not_a_facilitator = Solo la facilitación de esta asamblea puede hacer eso.
already_a_member = Ya eres miembro de esta asamblea.
already_requested = Tu solicitud para unirte ya espera aprobación.
no_pending_request = No hay solicitud de esta persona.
already_a_facilitator = Ya facilita esta asamblea.
last_facilitator = La última persona facilitadora no puede salir mientras queden miembros; nombra a otra antes.
duplicate = Algo aparece dos veces.
ends_before_start = Una reunión debe terminar después de empezar.
from_another_body = Esa moción es de otra asamblea.
minutes_missing = Todavía no hay acta que publicar.
minutes_already_published = El acta ya está publicada y no se puede cambiar.
not_the_mover = Solo quien presentó la moción puede hacer eso.
motion_not_open = La moción ya no está abierta para eso.
proposed_charter_missing = Una reforma de estatutos debe incluir los estatutos propuestos.
proposed_charter_unexpected = Solo una reforma de estatutos incluye estatutos propuestos.
kind_not_supported_yet = Todavía no se pueden presentar mociones de este tipo.
amendment_settled = Esta enmienda ya fue aceptada o rechazada.
amendment_being_voted_on = Esta enmienda está en votación; la decide su votación.
amendment_vote_pending = Una enmienda de esta moción está en votación; espera a que cierre.
bad_window = Una votación debe cerrar después de abrir, y no en el pasado.
poll_not_open_yet = Esta votación aún no ha abierto.
voting_over = La votación ha terminado.
poll_closed = Esta votación está cerrada.
poll_still_open = Esta votación sigue abierta.
not_on_roll = No estás en el censo de esta votación: el censo son los miembros cuando se abrió.
already_voted = Ya has votado en esta votación.
impossible_count = Estos recuentos son imposibles.
pager-newer = Más recientes
pager-older = Anteriores
pager-previous = Página anterior
pager-next = Página siguiente
