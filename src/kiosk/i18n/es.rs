//! Español.

use super::{DateOrder, Texts};
use crate::kiosk::model::StepKind;

pub static TEXTS: Texts = Texts {
    code: "es",
    name: "Español",
    date_order: DateOrder::DayMonthYear,
    date: |y, m, d| format!("{d:02}/{m:02}/{y:04}"),

    brand: "Registro",
    larger_text: "Letra más grande",
    staff: "Personal",

    waiting_title: "Entregue esta tableta en recepción, por favor.",
    waiting_body: "Allí la prepararán para usted.",
    offline_title: "Esperando la red",
    offline_body: "Esta tableta ha perdido la conexión. Continuará por sí sola en cuanto vuelva la conexión.",

    hello: |name| format!("Hola, {name}."),
    welcome_body: "Vamos a tomar unas fotos para su expediente. Se tarda unos dos minutos.",
    choose_language: "Idioma",
    start: "Empezar",

    birthdate_title: "Su fecha de nacimiento",
    birthdate_intro: "Para proteger su privacidad, escriba su fecha de nacimiento.",
    birthdate_legend: "Fecha de nacimiento",
    day: "Día",
    month: "Mes",
    year: "Año",
    date_hint: "Día / Mes / Año, por ejemplo",
    check: "Continuar",
    checking: "Comprobando…",
    birthdate_incomplete: "Escriba el día, el mes y el año, por favor.",
    birthdate_invalid: "Esa fecha no existe. Revise el día, el mes y el año (cuatro cifras).",
    birthdate_wrong: |left| {
        if left == 1 {
            "La fecha no coincide con nuestros registros. Le queda 1 intento.".to_owned()
        } else {
            format!("La fecha no coincide con nuestros registros. Le quedan {left} intentos.")
        }
    },
    birthdate_unreachable: "No hemos podido comprobar su fecha de nacimiento. Inténtelo de nuevo en un momento.",

    step_count: |step, of| format!("Paso {step} de {of}"),
    step_title: |kind| match kind {
        StepKind::Selfie => "Su foto",
        StepKind::CardFront => "Tarjeta del seguro, anverso",
        StepKind::CardBack => "Tarjeta del seguro, reverso",
        StepKind::PhotoId => "Documento de identidad",
    },
    step_instruction: |kind| match kind {
        StepKind::Selfie => "Hágase una foto de la cara mirando a la cámara. Así podremos reconocerle al saludarle.",
        StepKind::CardFront => "Ponga la tarjeta del seguro sobre una superficie plana y fotografíe el anverso.",
        StepKind::CardBack => "Ahora dele la vuelta a la tarjeta y fotografíe el reverso.",
        StepKind::PhotoId => "Fotografíe su licencia de conducir u otro documento de identidad con foto.",
    },
    take_photo: "Hacer una foto",
    choose_photo: "Elegir de mis fotos",
    skip: "Saltar este paso",
    your_photo: |what| format!("Su foto: {what}"),
    use_photo: "Usar esta foto",
    retake: "Repetir",
    sending: "Enviando su foto…",
    sending_try: |attempt| format!("Enviando su foto… (intento {attempt})"),
    retrying_in: |secs| format!("La conexión va lenta. Lo intentaremos de nuevo en {secs} s…"),
    offline_photo: "No hay conexión. Su foto se guarda en esta tableta y se enviará en cuanto vuelva la conexión.",
    arrived: "Su foto ha llegado.",
    refused: "No hemos podido usar esta foto. Repítala o salte este paso, por favor.",
    too_large: "Esta foto es demasiado grande para enviarla. Repítala, por favor.",
    not_sent: "No hemos podido enviar esta foto. Inténtelo de nuevo, o salte este paso y pida ayuda en recepción.",
    try_again: "Intentar de nuevo",

    thanks: |name| format!("¡Gracias, {name}!"),
    all_set: "Ya está todo listo. Devuelva la tableta en recepción, por favor.",
    done: "Terminar",

    idle_title: "¿Sigue ahí?",
    idle_text: |secs| {
        let unit = if secs == 1 { "segundo" } else { "segundos" };
        format!("Para proteger su privacidad, empezaremos de nuevo en {secs} {unit}.")
    },
    still_here: "Sigo aquí",

    ended_title: "Esta visita ha terminado.",
    ended_idle: "La tableta ha vuelto a empezar tras un rato sin actividad.",
    locked_out: "No hemos podido confirmar su identidad.",
    see_front_desk: "Entregue esta tableta en recepción, por favor.",
};
