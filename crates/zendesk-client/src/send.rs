//! Requests this crate builds itself (the multipart upload, uploads with a
//! media type, following `next_page`) go through the same hooks as the
//! generated methods, and come back in the same form.

use progenitor_client::{ClientHooks, Error, OperationInfo, ResponseValue};
use serde::de::DeserializeOwned;
use zendesk_models::ErrorResponse;

use crate::Client;

impl Client {
    /// Sends `request` as operation `operation_id`; `success` is the status
    /// the operation answers with.
    pub(crate) async fn send<T: DeserializeOwned>(
        &self,
        mut request: reqwest::Request,
        operation_id: &'static str,
        success: u16,
    ) -> Result<ResponseValue<T>, Error<ErrorResponse>> {
        request.headers_mut().insert(
            reqwest::header::ACCEPT,
            reqwest::header::HeaderValue::from_static("application/json"),
        );
        let info = OperationInfo { operation_id };
        self.pre(&mut request, &info).await?;
        let result = self.exec(request, &info).await;
        self.post(&result, &info).await?;
        let response = result?;
        match response.status().as_u16() {
            status if status == success => ResponseValue::from_response(response).await,
            400..=599 => Err(Error::ErrorResponse(
                ResponseValue::from_response(response).await?,
            )),
            _ => Err(Error::UnexpectedResponse(response)),
        }
    }

    /// A request to `path_and_query` below the client's base URL.
    pub(crate) fn request_to(
        &self,
        method: reqwest::Method,
        path_and_query: &str,
    ) -> reqwest::RequestBuilder {
        self.client
            .request(method, format!("{}{path_and_query}", self.baseurl))
    }
}
